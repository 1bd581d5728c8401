"""The single pint registry of itbtwin (pint docs: "pint in your projects")."""

from __future__ import annotations

import pint

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
# "mcg" is the clinical spelling of microgram; "cc" already means cubic centimetre in pint.
ureg.define("mcg = microgram")
