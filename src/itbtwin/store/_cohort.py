"""The researchers' view of the clinic: one row per implanted patient with no identifier.

De-identified the way HIPAA's Safe Harbor method lists (45 CFR 164.514(b)(2)): no name,
identifier, pump serial or free text (a diagnosis or a note may name someone); dates reduced to
the year (birth year, implant year); each row a surrogate number (`C001`...) given after sorting
by the shown fields, so it carries nothing beyond them and is not the record's database id.
[assumption: Safe Harbor also folds ages over 89 into one group; birth years before that are
shown as "90 or older"]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session, selectinload

from itbtwin.errors import RecordError
from itbtwin.store._overview import implanted_pumps
from itbtwin.store._patients import age_years
from itbtwin.store._programs import fill_at, version_at
from itbtwin.store._schema import Patient, Pump

OLDEST_SHOWN_AGE = 89
"""Older patients are one group (Safe Harbor, 45 CFR 164.514(b)(2)(i)(C))."""


@dataclass(frozen=True)
class CohortRow:
    """One de-identified patient: `birth_year` None for the group aged 90 or older; dose
    mcg/day and concentration mcg/mL of the program and fill in effect (None: none recorded)."""

    surrogate: str
    birth_year: int | None
    origin: str
    device: str
    implant_year: int
    daily_dose_mcg: float | None
    concentration_mcg_per_ml: float | None
    refills: int
    penn_frequency: int | None


def _row(pump: Pump, at: datetime) -> CohortRow:
    patient = pump.patient
    old = age_years(patient, at.date()) > OLDEST_SHOWN_AGE
    try:
        dose: float | None = version_at(pump, at).mean_daily_dose_mcg
        concentration: float | None = fill_at(pump, at).concentration_mcg_per_ml
    except RecordError:
        dose = concentration = None
    penn = [a.penn_frequency for a in patient.assessments if a.penn_frequency is not None]
    return CohortRow(
        surrogate="",
        birth_year=None if old else patient.birth_date.year,
        origin=patient.origin,
        device=pump.device,
        implant_year=pump.implanted_at.year,
        daily_dose_mcg=dose,
        concentration_mcg_per_ml=concentration,
        refills=len(pump.refills),
        penn_frequency=penn[-1] if penn else None,
    )


def deidentified_cohort(session: Session, at: datetime) -> list[CohortRow]:
    """The implanted patients at `at` (clinic time), de-identified, numbered C001... in the
    order of their shown fields."""
    pumps = implanted_pumps(
        session,
        selectinload(Pump.patient).selectinload(Patient.assessments),
        selectinload(Pump.programs),
        selectinload(Pump.refills),
    )
    rows = sorted(
        (_row(pump, at) for pump in pumps),
        key=lambda r: (
            r.birth_year or 0,
            r.origin,
            r.device,
            r.implant_year,
            r.daily_dose_mcg or 0,
        ),
    )
    width = max(3, len(str(len(rows))))
    return [replace(row, surrogate=f"C{i:0{width}d}") for i, row in enumerate(rows, 1)]
