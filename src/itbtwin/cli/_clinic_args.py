"""Patient options shared by the decision-support commands (origin, age, weight, baseline)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itbtwin.units import parse_quantity

if TYPE_CHECKING:  # the PK model loads when a command computes (issue 13: --help stays light)
    from itbtwin.patient import BaclofenPk

WEIGHT_HELP = 'Body weight, e.g. "30 kg" (required under 18: a child\'s PK scales with weight).'
"""Help of every --weight option: no weight is assumed (issue 12)."""


def patient_pk(weight: str | None, age: str) -> tuple[BaclofenPk, float]:
    """The patient's PK parameters and age in years, from option text with units.

    Without a weight an adult gets the adult parameters (weight plays no part in them) and a
    child is refused (`BaclofenPk.for_patient`).
    """
    from itbtwin.patient import BaclofenPk

    age_years = parse_quantity(age, "age")
    weight_kg = None if weight is None else parse_quantity(weight, "weight")
    return BaclofenPk.for_patient(weight_kg, age_years), age_years
