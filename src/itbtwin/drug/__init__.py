"""Baclofen products and concentrations, and the label's dosing facts as data with sources."""

from itbtwin.drug._dosing import DOSE_RANGES as DOSE_RANGES
from itbtwin.drug._dosing import HIGH_DOSE_STEP_PERCENT as HIGH_DOSE_STEP_PERCENT
from itbtwin.drug._dosing import ORIGINS as ORIGINS
from itbtwin.drug._dosing import PAEDIATRIC_AGE_Y as PAEDIATRIC_AGE_Y
from itbtwin.drug._dosing import STEP_LIMITS as STEP_LIMITS
from itbtwin.drug._dosing import DoseRange as DoseRange
from itbtwin.drug._dosing import StepLimit as StepLimit
from itbtwin.drug._dosing import check_origin as check_origin
from itbtwin.drug._dosing import dose_range_for as dose_range_for
from itbtwin.drug._dosing import step_limit_for as step_limit_for
from itbtwin.drug._products import PRODUCTS as PRODUCTS
from itbtwin.drug._products import ConcentrationMatch as ConcentrationMatch
from itbtwin.drug._products import Product as Product
from itbtwin.drug._products import find_product as find_product
from itbtwin.drug._products import match_concentration as match_concentration
