"""Who the label is for: a patient younger than its indication is a visible warning.

Intrathecal baclofen is indicated from 4 years of age (label-gablofen:1; reference
pharmacology.md §1.1, "Pediatric age floor"). A younger child may still be treated, off-label, by
a clinician who means it, so the age is accepted with a warning, never refused; an impossible
age is refused where the patient's PK is made (`patient.BaclofenPk.for_patient`).
"""

from __future__ import annotations

from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.display import format_number

YOUNGEST_INDICATED_YEARS = 4.0
"""The youngest age the label indicates intrathecal baclofen for (years; label-gablofen:1)."""


def age_reasons(age_years: float) -> list[Reason]:
    """A WARN for a patient younger than the label's indication (years), else nothing."""
    if age_years >= YOUNGEST_INDICATED_YEARS:
        return []
    text = (
        f"a patient of {format_number(age_years, 'years')} is younger than the label's "
        f"indication ({YOUNGEST_INDICATED_YEARS:g} years and older): off-label use; the doses and "
        "the model's child PK were not established at this age"
    )
    return [Reason("age_below_indication", Verdict.WARN, "label-gablofen:1", text)]
