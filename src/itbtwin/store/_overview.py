"""The clinic at a glance: every implanted pump's refill window and every patient's risk, from
the records, through the same clinic rules as `itbtwin refill schedule` and `itbtwin risk`.

Each pump's dates come from its last fill (`store._dates_cache`: stored with the records,
recomputed only when a record they depend on changes); the window, the slip and the risk are
read at `now`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from itbtwin.clinic import (
    PatientRisk,
    ScheduleEntry,
    due_within,
    rank_risks,
    risk_of,
    schedule_entry,
)
from itbtwin.clinic._risk import clinic_label_factors
from itbtwin.store._dates_cache import cached_dates
from itbtwin.store._patients import age_years, risk_record
from itbtwin.store._schema import Patient, Pump


@dataclass(frozen=True)
class ClinicOverview:
    """Refill windows (most urgent first) and patients ranked by withdrawal risk, at `now`."""

    now: datetime
    entries: tuple[ScheduleEntry, ...]
    risks: tuple[PatientRisk, ...]

    def due_within(self, days: int) -> list[ScheduleEntry]:
        """Pumps whose refill window opens within `days` of today (overdue ones included)."""
        return due_within(self.entries, self.now.date(), days)

    def at_risk(self) -> list[PatientRisk]:
        """Patients with a warn or block finding, most at risk first."""
        return [r for r in self.risks if r.verdict.value != "pass"]

    def as_dict(self) -> dict[str, object]:
        return {
            "now": self.now.isoformat(),
            "pumps": [e.as_dict() for e in self.entries],
            "risks": [r.as_dict() for r in self.risks],
        }


def implanted_pumps(session: Session, *options: ORMOption) -> list[Pump]:
    """Every pump not explanted of a patient not discharged, by serial (`options`: loader
    options, e.g. the records read with the pumps)."""
    query = (
        select(Pump)
        .join(Patient)
        .where(Pump.explanted_at.is_(None), Patient.discharged_at.is_(None))
        .order_by(Pump.serial)
        .options(*options)
    )
    return list(session.scalars(query))


RISK_RECORDS = (
    contains_eager(Pump.patient).selectinload(Patient.pumps),
    selectinload(Pump.events),
    selectinload(Pump.revisions),
)
"""What the risk list reads, loaded with the pumps in a few queries, not a few per pump (the
records of pumps whose dates must be computed are read by `cached_dates`)."""


def clinic_overview(
    session: Session,
    *,
    now: datetime,
    holidays: tuple[date, ...] = (),
    track: Callable[[list[Pump]], Iterable[Pump]] | None = None,
    **window: int | tuple[int, ...],
) -> ClinicOverview:
    """Schedule and risk list for every implanted pump at `now` (the clinic's wall-clock time).

    `window`: `margin_days`, `window_days`, `open_weekdays`, `slip_days` as in
    `clinic.refill_schedule`. `track`: wraps the pumps whose dates are computed (a progress bar).
    """
    pumps = implanted_pumps(session, *RISK_RECORDS)
    dates = cached_dates(session, pumps, now, track)
    patients = [pump.patient for pump in pumps]
    records = [risk_record(patient) for patient in patients]
    ages = [age_years(patient, now.date()) for patient in patients]
    factors = clinic_label_factors(records, [p.origin for p in patients], ages)
    entries: list[ScheduleEntry] = []
    risks = []
    for pump, record, age, found in zip(pumps, records, ages, factors, strict=True):
        name, patient = pump.patient.identifier, pump.patient
        entry = schedule_entry(
            name,
            dates[pump.id],
            time_zone=pump.time_zone,
            holidays=holidays,
            **window,  # type: ignore[arg-type]
        )
        entries.append(entry)
        risks.append(
            risk_of(name, entry.dates, record, origin=patient.origin, age_years=age, factors=found)
        )
    entries.sort(key=lambda e: e.urgency)
    return ClinicOverview(now, tuple(entries), tuple(rank_risks(risks)))
