"""The clinic at a glance: every implanted pump's refill window and every patient's risk, from
the records, through the same clinic rules as `itbtwin refill schedule` and `itbtwin risk`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.clinic import (
    PatientRisk,
    ScheduleEntry,
    assess_risk,
    due_within,
    rank_risks,
    refill_schedule,
)
from itbtwin.store._patients import risk_record
from itbtwin.store._scenario import current_scenario
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


def implanted_pumps(session: Session) -> list[Pump]:
    """Every pump not explanted of a patient not discharged, by serial."""
    query = (
        select(Pump)
        .join(Patient)
        .where(Pump.explanted_at.is_(None), Patient.discharged_at.is_(None))
        .order_by(Pump.serial)
    )
    return list(session.scalars(query))


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
    `clinic.refill_schedule`. `track`: wraps the pumps as they are simulated (a progress bar).
    """
    pumps = implanted_pumps(session)
    entries: list[ScheduleEntry] = []
    risks = []
    for pump in track(pumps) if track else pumps:
        name, scenario = pump.patient.identifier, current_scenario(pump, now=now)
        (entry,) = refill_schedule(
            [(name, scenario.therapy)],
            holidays=holidays,
            **window,  # type: ignore[arg-type]
        )
        entries.append(entry)
        risks.append(assess_risk(name, scenario, risk_record(pump.patient), entry.dates))
    entries.sort(key=lambda e: e.urgency)
    return ClinicOverview(now, tuple(entries), tuple(rank_risks(risks)))
