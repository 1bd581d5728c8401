"""Patient options shared by the decision-support commands (origin, age, weight, baseline)."""

from __future__ import annotations

from itbtwin.patient import BaclofenPk
from itbtwin.units import parse_quantity


def patient_pk(weight: str, age: str) -> tuple[BaclofenPk, float]:
    """The patient's PK parameters and age in years, from option text with units."""
    age_years = parse_quantity(age, "age")
    return BaclofenPk.for_patient(parse_quantity(weight, "weight"), age_years), age_years
