"""The clinic at a glance: every implanted pump's refill window and every patient's risk, from
the records, through the same clinic rules as `itbtwin refill schedule` and `itbtwin risk`.

Each pump's dates come from its last fill (`store._dates_cache`: stored with the records,
recomputed only when a record they depend on changes); the window, the slip and the risk are
read at `now`. The pumps, their patients, the digests that keep the stored dates honest and the
stored dates themselves are one Core SELECT, the open faults a second, the missed visits a
third: plain rows, no ORM
object per pump (issue 13: the overview of 1,000 pumps from the stored dates < 100 ms)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.interfaces import ORMOption

from itbtwin.clinic import (
    PatientRisk,
    PumpDates,
    RiskRecord,
    ScheduleEntry,
    WindowOptions,
    due_within,
    rank_risks,
    risk_of,
)
from itbtwin.clinic._refill_plan import DEFAULT_WINDOW
from itbtwin.clinic._risk import clinic_label_factors
from itbtwin.clinic._slip import SLIP_DAYS
from itbtwin.store._bounds import FAULT_EVENT_KINDS, fault_kind
from itbtwin.store._dates_cache import computed_dates
from itbtwin.store._dates_rows import (
    PumpDatesRow,
    digest,
    digest_columns,
    is_current,
    no_collection,
    stored_columns,
    stored_dates,
)
from itbtwin.store._fault_closing import (
    CLOSING_RECORDS,
    MISSED_VISIT_EVENTS,
    is_open,
    missed_visits,
)
from itbtwin.store._patients import age_years
from itbtwin.store._schedule_plans import planned_entries
from itbtwin.store._schema import (
    Correction,
    EventRecord,
    Patient,
    ProgramVersion,
    Pump,
    RefillRecord,
    Revision,
)


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


def pump_serials(session: Session) -> dict[str, str]:
    """Patient identifier → serial of each implanted pump (one SELECT, no ORM object; of a
    patient's two pumps, the later serial)."""
    query = select(Patient.identifier, Pump.serial).join(Pump.patient).where(*_implanted())
    return {name: serial for name, serial in session.execute(query.order_by(Pump.serial))}


_PATIENT = (
    "identifier",
    "origin",
    "birth_date",
    "injury_level",
    "communication_difficulty",
    "prior_withdrawal",
    "missed_visits",
)
"""What the schedule and the risk list read of each patient."""


def _implanted() -> Any:
    return (Pump.explanted_at.is_(None), Patient.discharged_at.is_(None))


def _pump_rows(session: Session) -> list[Any]:
    """Per implanted pump, by serial: its patient, what its dates depend on (`digest_columns`,
    positions 1 to 12) and its stored dates, if any (one SELECT)."""
    query = (
        select(
            Pump.id,
            *digest_columns(),
            Pump.patient_id,
            Pump.time_zone.label("pump_time_zone"),
            *(getattr(Patient, name) for name in _PATIENT),
            *stored_columns(),
        )
        .join(Patient, Patient.id == Pump.patient_id)
        .outerjoin(PumpDatesRow, PumpDatesRow.pump_id == Pump.id)
        .where(*_implanted())
        .order_by(Pump.serial)
    )
    return list(session.connection().execute(query))


def _newest(column: Any, pump_id: Any, now: datetime, *where: Any) -> Any:
    """The newest `column` time at or before `now` of the pump in the outer query's row."""
    return (
        select(func.max(column)).where(pump_id == Pump.id, column <= now, *where).scalar_subquery()
    )


def _not_corrected(table: Any) -> Any:
    replaced = select(Correction.original_id).where(Correction.entity == table.__tablename__)
    return table.id.not_in(replaced)


def _open_faults(session: Session, now: datetime) -> dict[int, tuple[str, ...]]:
    """Per implanted pump id: the fault kinds recorded by `now` and not closed by then
    (`store._fault_closing.CLOSED_BY`, reading the pump's newest revision, refill, program
    version and interrogation at `now`), in time order, as `store._patients.open_faults` reads
    them (one SELECT)."""
    asked = aliased(EventRecord)
    newest = (
        _newest(Revision.revised_at, Revision.pump_id, now),
        _newest(RefillRecord.performed_at, RefillRecord.pump_id, now, _not_corrected(RefillRecord)),
        _newest(
            ProgramVersion.effective_at,
            ProgramVersion.pump_id,
            now,
            _not_corrected(ProgramVersion),
        ),
        _newest(
            asked.occurred_at,
            asked.pump_id,
            now,
            asked.kind == "interrogation",
            asked.id.not_in(
                select(Correction.original_id).where(Correction.entity == asked.__tablename__)
            ),
        ),
    )
    query = (
        select(EventRecord.pump_id, EventRecord.kind, EventRecord.occurred_at, *newest)
        .join(Pump, Pump.id == EventRecord.pump_id)
        .join(Patient, Patient.id == Pump.patient_id)
        .where(
            *_implanted(),
            EventRecord.kind.in_(FAULT_EVENT_KINDS),
            EventRecord.occurred_at >= Pump.implanted_at,
            EventRecord.occurred_at <= now,
            _not_corrected(EventRecord),
        )
        .order_by(EventRecord.occurred_at, EventRecord.id)
    )
    found: dict[int, tuple[str, ...]] = {}
    for pump_id, kind, occurred_at, *last in session.connection().execute(query):
        fault = fault_kind(kind)
        if is_open(fault, occurred_at, dict(zip(CLOSING_RECORDS, last, strict=True))):
            found[pump_id] = (*found.get(pump_id, ()), fault)
    return found


def _missed_visits(session: Session, now: datetime) -> dict[int, list[tuple[datetime, str]]]:
    """Per patient id: the missed-visit events (`MISSED_VISIT_EVENTS`) recorded by `now` on any
    of the patient's pumps, for `store._fault_closing.missed_visits` (one SELECT)."""
    query = (
        select(Pump.patient_id, EventRecord.occurred_at, EventRecord.kind)
        .join(Pump, Pump.id == EventRecord.pump_id)
        .where(
            EventRecord.kind.in_(MISSED_VISIT_EVENTS),
            EventRecord.occurred_at <= now,
            _not_corrected(EventRecord),
        )
    )
    found: dict[int, list[tuple[datetime, str]]] = {}
    for patient_id, occurred_at, kind in session.connection().execute(query):
        found.setdefault(patient_id, []).append((occurred_at, kind))
    return found


def _risk_records(session: Session, rows: list[Any], now: datetime) -> list[RiskRecord]:
    """Each row's `RiskRecord`: the patient's factors, missed visits and the open faults of the
    patient's last implanted pump at `now` (`store._patients.risk_record`)."""
    faults = _open_faults(session, now)
    missed = _missed_visits(session, now)
    last_pump = {}
    for row in sorted(rows, key=lambda r: r.id):
        last_pump[row.patient_id] = row.id
    return [
        RiskRecord(
            row.injury_level,
            row.communication_difficulty,
            row.prior_withdrawal,
            missed_visits(row.missed_visits, missed.get(row.patient_id, ())),
            faults.get(last_pump[row.patient_id], ()),
        )
        for row in rows
    ]


def _dates(
    session: Session,
    rows: list[Any],
    now: datetime,
    track: Callable[[list[Pump]], Iterable[Pump]] | None,
) -> tuple[list[PumpDates], set[int]]:
    """Each row's dates at `now`: stored while current (`is_current`), else computed from the
    records and stored; and the ids of the pumps whose stored row was read."""
    digests = {row.id: (digest(row[1:13]), row.last_fill) for row in rows}
    hits = [row for row in rows if is_current(row, *digests[row.id], now)]
    found = dict(zip((row.id for row in hits), stored_dates(hits, now), strict=True))
    read = set(found)
    misses = [row.id for row in rows if row.id not in read]
    found |= computed_dates(session, misses, now, digests, track)
    return [found[row.id] for row in rows], read


def clinic_overview(
    session: Session,
    *,
    now: datetime,
    options: WindowOptions = DEFAULT_WINDOW,
    slip_days: int = SLIP_DAYS,
    track: Callable[[list[Pump]], Iterable[Pump]] | None = None,
) -> ClinicOverview:
    """Schedule and risk list for every implanted pump at `now` (the clinic's wall-clock time).

    `options` (the clinic's refill windows; no travel, which is one patient's) and `slip_days`
    (d) as in `clinic.refill_schedule`. `track`: wraps the pumps whose dates are computed (a
    progress bar).
    """
    session.flush()  # the Core SELECTs below read what the session holds, as a query would
    with no_collection():
        rows = _pump_rows(session)
        dates, read = _dates(session, rows, now, track)
        plans = [
            (
                r.id,
                r.identifier,
                r.pump_time_zone,
                found,
                *((r.plan_key, r.plan) if r.id in read else (None, None)),
            )
            for r, found in zip(rows, dates, strict=True)
        ]
        entries = planned_entries(session, plans, options, slip_days)
        records = _risk_records(session, rows, now)
        ages = [age_years(row, now.date()) for row in rows]
        factors = clinic_label_factors(records, [row.origin for row in rows], ages)
        risks = [
            risk_of(row.identifier, found, record, origin=row.origin, age_years=age, factors=label)
            for row, found, record, age, label in zip(
                rows, dates, records, ages, factors, strict=True
            )
        ]
        entries.sort(key=lambda e: e.urgency)
        return ClinicOverview(now, tuple(entries), tuple(rank_risks(risks)))
