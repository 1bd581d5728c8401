"""Each pump's refill dates from its records, kept in the database beside them (issue 13).

The dates of a fill do not change with the day they are read: they start at the fill (the last
refill or the implant fill) and run the program history recorded from it (`clinic.pump_dates`,
exact arithmetic). So they are computed once per fill and stored in `pump_dates`, with a digest
of what they were computed from (`depends_on`: the pump row, the newest program version, refill,
event and revision, corrections, the clinic settings and this module's `DATES_VERSION`). A row
is used only while its digest matches; every write to a pump, its patient or the settings also
deletes the rows it touches in the same transaction (a flush listener), so a stale row is never
read, even by a caller that never asks for the digest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import (
    JSON,
    Double,
    ForeignKey,
    String,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, selectinload

from itbtwin.clinic import PumpDates, pump_dates
from itbtwin.pump import PumpClock, zone
from itbtwin.pump._reservoir_forecast import ReservoirForecast
from itbtwin.store._clinic_settings import ClinicSettingsRow
from itbtwin.store._engine import has_table
from itbtwin.store._scenario import history_scenario
from itbtwin.store._schema import (
    Base,
    Correction,
    EventRecord,
    Patient,
    ProgramVersion,
    Pump,
    RefillRecord,
    Revision,
)

DATES_VERSION = "exact-1"
"""Bumped when the way dates are computed changes: every stored row is then recomputed."""


class PumpDatesRow(Base):
    """One pump's dates from its last fill (migration 0006): elapsed hours from `fill_at`."""

    __tablename__ = "pump_dates"
    pump_id: Mapped[int] = mapped_column(ForeignKey("pump.id"), primary_key=True)
    depends_on: Mapped[str] = mapped_column(String(64))
    fill_at: Mapped[datetime]
    low_reservoir_h: Mapped[float | None] = mapped_column(Double())
    empty_h: Mapped[float | None] = mapped_column(Double())
    stability_h: Mapped[float] = mapped_column(Double())
    eri_h: Mapped[float | None] = mapped_column(Double())
    eos_h: Mapped[float | None] = mapped_column(Double())
    volume_knots: Mapped[Any] = mapped_column(JSON)
    program_rates: Mapped[Any] = mapped_column(JSON)
    clock: Mapped[Any] = mapped_column(JSON)
    computed_at: Mapped[datetime]


def _elapsed(clock: PumpClock, now: datetime) -> float:
    """Elapsed hours of the clinic's wall-clock `now` on the pump clock (daylight saving kept)."""
    return clock.hours(now.replace(tzinfo=zone(clock.zones[0][1])))


def records_dates(pump: Pump, now: datetime) -> PumpDates:
    """The pump's dates from its last fill at or before `now`, as the records say (no cache):
    the program versions recorded from the fill on, future ones included, no further refill."""
    last = max((v.effective_at for v in pump.programs), default=now)
    scenario = history_scenario(pump, since=now, until=max(now, last) + timedelta(hours=1))
    clock = scenario.therapy.clock
    return pump_dates(scenario.therapy, now_h=_elapsed(clock, now))


def _digests(session: Session) -> dict[int, tuple[str, datetime | None]]:
    """Per pump: the digest of what its dates depend on, and its last fill time (one query)."""

    def newest(table: Any, column: Any) -> Any:
        return select(func.max(column)).where(table.pump_id == Pump.id).scalar_subquery()

    settings = session.scalar(select(func.max(ClinicSettingsRow.updated_at)))
    corrections = session.scalar(select(func.max(Correction.id)))
    rows = session.execute(
        select(
            Pump.id,
            Pump.device,
            Pump.implanted_at,
            Pump.time_zone,
            Pump.catheter_model,
            Pump.catheter_length_cm,
            newest(ProgramVersion, ProgramVersion.id),
            newest(RefillRecord, RefillRecord.id),
            newest(EventRecord, EventRecord.id),
            newest(Revision, Revision.id),
            newest(RefillRecord, RefillRecord.performed_at),
        )
    )
    found = {}
    for row in rows:
        parts = [DATES_VERSION, *row[1:-1], corrections, settings]
        text = json.dumps(parts, default=str)
        found[row[0]] = (hashlib.sha256(text.encode()).hexdigest(), row[-1])
    return found


def _clock_json(clock: PumpClock) -> dict[str, Any]:
    return {
        "start_utc": clock.utc(0.0).isoformat(),
        "zones": [list(z) for z in clock.zones],
        "follow_dst": clock.follow_dst,
    }


def _clock(data: dict[str, Any]) -> PumpClock:
    zones = tuple((float(t), str(name)) for t, name in data["zones"])
    return PumpClock(datetime.fromisoformat(data["start_utc"]), zones, bool(data["follow_dst"]))


def _from_row(row: Any, now: datetime) -> PumpDates:
    """The stored dates read at `now` (the clinic's wall-clock time of the question)."""
    times, volume = row.volume_knots
    forecast = ReservoirForecast(
        np.array(times, float), np.array(volume, float), volume[-1], row.eos_h or np.inf
    )
    starts, rates = row.program_rates
    clock = _clock(row.clock)
    return PumpDates(
        row.low_reservoir_h,
        row.empty_h,
        row.stability_h,
        row.eri_h,
        row.eos_h,
        (tuple(starts), tuple(rates)),
        clock,
        forecast,
        _elapsed(clock, now),
    )


def _row(pump_id: int, dates: PumpDates, digest: str, fill_at: datetime) -> PumpDatesRow:
    return PumpDatesRow(
        pump_id=pump_id,
        depends_on=digest,
        fill_at=fill_at,
        low_reservoir_h=dates.low_reservoir_h,
        empty_h=dates.empty_h,
        stability_h=dates.stability_h,
        eri_h=dates.eri_h,
        eos_h=dates.eos_h,
        volume_knots=[dates.reservoir.times_h.tolist(), dates.reservoir.volume_ml.tolist()],
        program_rates=[list(dates.program_rates[0]), list(dates.program_rates[1])],
        clock=_clock_json(dates.clock),
        computed_at=datetime.now(UTC).replace(tzinfo=None),
    )


def cached_dates(
    session: Session,
    pumps: Iterable[Pump],
    now: datetime,
    track: Callable[[list[Pump]], Iterable[Pump]] | None = None,
) -> dict[int, PumpDates]:
    """Each pump's dates at `now` by pump id: from its stored row while the row's digest
    matches and its fill is the last one at or before `now`; else computed from the records and
    stored (in the caller's transaction). `track` wraps the pumps whose dates are computed
    (a progress bar)."""
    digests = _digests(session)
    # plain rows, not ORM objects: a thousand stored rows read in a few milliseconds (issue 13)
    rows = {r.pump_id: r for r in session.execute(select(*PumpDatesRow.__table__.columns))}
    found: dict[int, PumpDates] = {}
    misses = []
    for pump in pumps:
        digest, last_fill = digests[pump.id]
        row = rows.get(pump.id)
        fresh = last_fill is not None and last_fill <= now
        if row is not None and fresh and row.depends_on == digest and row.fill_at == last_fill:
            found[pump.id] = _from_row(row, now)
        else:
            misses.append(pump)
    _load_records(session, [p.id for p in misses])
    stale = [p.id for p in misses if p.id in rows]
    if stale:
        session.execute(delete(PumpDatesRow).where(PumpDatesRow.pump_id.in_(stale)))
    for pump in track(misses) if track else misses:
        digest, last_fill = digests[pump.id]
        dates = records_dates(pump, now)
        found[pump.id] = dates
        if last_fill is not None and last_fill <= now:
            session.add(_row(pump.id, dates, digest, last_fill))
    return found


def _load_records(session: Session, ids: list[int]) -> None:
    """Read the records of the pumps whose dates are computed in a few queries."""
    if ids:
        options = [selectinload(getattr(Pump, name)) for name in RECORDS]
        session.scalars(select(Pump).where(Pump.id.in_(ids)).options(*options)).all()


RECORDS = ("programs", "refills", "revisions", "events")
"""The pump's records its dates are computed from."""

_PER_PUMP = (ProgramVersion, RefillRecord, EventRecord, Revision)


@event.listens_for(Session, "before_flush")
def _forget_touched(session: Session, _context: object, _instances: object) -> None:
    """Every write to a pump, its records, its patient, a correction or the clinic settings
    deletes the stored dates it touches, in the same transaction."""
    pumps: set[int] = set()
    everything = False
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, PumpDatesRow):
            continue
        if isinstance(obj, _PER_PUMP) and obj.pump_id is not None:
            pumps.add(obj.pump_id)
        elif isinstance(obj, Pump) and obj.id is not None:
            pumps.add(obj.id)
        elif isinstance(obj, Patient) and obj.id is not None:
            pumps |= {p.id for p in obj.pumps if p.id is not None}
        elif isinstance(obj, Correction | ClinicSettingsRow):
            everything = True
    if not (everything or pumps) or not has_table(session, PumpDatesRow.__tablename__):
        return
    if everything:
        session.execute(delete(PumpDatesRow))
    else:
        session.execute(delete(PumpDatesRow).where(PumpDatesRow.pump_id.in_(pumps)))
