"""The single pint registry of itbtwin (pint docs: "pint in your projects").

Built on first use, not at import: importing pint and building the registry takes ~0.2 s (pint
also imports Dask when it is installed), which every command paid before it started even when
it parsed no quantity (issue 13).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pint


@functools.cache
def registry() -> pint.UnitRegistry:
    """The registry, built once (on the first quantity parsed or formatted)."""
    import pint

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    # "mcg" is the clinical spelling of microgram; "cc" already means cubic centimetre in pint.
    ureg.define("mcg = microgram")
    return ureg
