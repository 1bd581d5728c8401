"""Patient options shared by the decision-support commands (origin, age, weight, baseline)."""

from __future__ import annotations

from itbtwin.errors import ParameterError
from itbtwin.patient import BaclofenPk
from itbtwin.units import parse_quantity

ORIGINS = ("spinal", "cerebral")


def patient_pk(weight: str, age: str) -> tuple[BaclofenPk, float]:
    """The patient's PK parameters and age in years, from option text with units."""
    age_years = parse_quantity(age, "age")
    return BaclofenPk.for_patient(parse_quantity(weight, "weight"), age_years), age_years


def check_origin(origin: str) -> str:
    """Refuse an origin of spasticity other than spinal or cerebral."""
    if origin not in ORIGINS:
        raise ParameterError(f"unknown origin {origin!r}: use {' or '.join(ORIGINS)}")
    return origin
