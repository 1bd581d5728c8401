"""Quantities at the edges: one pint registry, parsing with checked units, canonical magnitudes.

Inside itbtwin every quantity is a plain float in the canonical unit of its kind (mcg, mL, h,
mcg/mL, mcg/day, mcg/h, mL/day). This package is the only place that knows about pint.
"""

from itbtwin.units._kinds import BODY_WEIGHT_KG as BODY_WEIGHT_KG
from itbtwin.units._kinds import DRUG_CONCENTRATION_MCG_PER_ML as DRUG_CONCENTRATION_MCG_PER_ML
from itbtwin.units._kinds import KINDS as KINDS
from itbtwin.units._kinds import Kind as Kind
from itbtwin.units._parse import format_quantity as format_quantity
from itbtwin.units._parse import parse_duration_h as parse_duration_h
from itbtwin.units._parse import parse_quantity as parse_quantity
from itbtwin.units._parse import to_canonical as to_canonical
from itbtwin.units._registry import registry as registry
from itbtwin.units._share import parse_share as parse_share

NG_PER_ML_PER_MCG_PER_ML = 1000.0
"""Factor from the canonical concentration (mcg/mL) to the display unit ng/mL."""
