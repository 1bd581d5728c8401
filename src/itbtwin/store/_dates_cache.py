"""Each pump's refill dates from its records, kept in the database beside them (issue 13).

The dates of a fill do not change with the day they are read: they start at the fill (the last
refill or the implant fill) and run the program history recorded from it (`clinic.pump_dates`,
exact arithmetic). So they are computed once per fill and stored in `pump_dates`, with a digest
of what they were computed from (`depends_on`: the pump row, the newest program version, refill,
event and revision, corrections, the clinic settings and `_dates_rows.DATES_VERSION`). A row
is used only while its digest matches; every write to a pump, its patient or the settings also
deletes the rows it touches in the same transaction (a flush listener), so a stale row is never
read, even by a caller that never asks for the digest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session, joinedload, selectinload

from itbtwin.clinic import PumpDates, pump_dates
from itbtwin.sim import Scenario
from itbtwin.store._clinic_settings import ClinicSettingsRow
from itbtwin.store._dates_rows import (
    ALL_PUMPS,
    FORGOTTEN,
    PumpDatesRow,
    digest,
    digest_columns,
    elapsed,
    is_current,
    no_collection,
    store_dates,
    stored_columns,
    stored_dates,
)
from itbtwin.store._engine import has_table, keeps_cache
from itbtwin.store._scenario import history_scenario
from itbtwin.store._schema import (
    Correction,
    EventRecord,
    Patient,
    ProgramVersion,
    Pump,
    RefillRecord,
    Revision,
)
from itbtwin.store._transaction_memo import remember, remembered


def records_scenario(pump: Pump, now: datetime) -> tuple[Scenario, float]:
    """The pump from its last fill at or before `now` (hour 0) with every program version
    recorded from the fill on, future ones included, and the elapsed hour of `now` (h, on the
    pump clock): what the dates and the program-change dry run read."""
    last = max((v.effective_at for v in pump.programs), default=now)
    scenario = history_scenario(pump, since=now, until=max(now, last) + timedelta(hours=1))
    return scenario, elapsed(scenario.therapy.clock, now)


def records_dates(pump: Pump, now: datetime) -> PumpDates:
    """The pump's dates from its last fill at or before `now`, as the records say (no cache):
    the program versions recorded from the fill on, future ones included, no further refill."""
    scenario, now_h = records_scenario(pump, now)
    return pump_dates(scenario.therapy, now_h=now_h)


def _digests(session: Session) -> dict[int, tuple[str, datetime | None]]:
    """Per pump: the digest of what its dates depend on, and its last fill time (one query)."""
    rows = session.execute(select(Pump.id, *digest_columns()))
    return {row[0]: (digest(row[1:]), row.last_fill) for row in rows}


def computed_dates(
    session: Session,
    ids: list[int],
    now: datetime,
    digests: dict[int, tuple[str, datetime | None]],
    track: Callable[[list[Pump]], Iterable[Pump]] | None = None,
) -> dict[int, PumpDates]:
    """The dates of pumps `ids` at `now` computed from the records; stored (in the caller's
    transaction, replacing any row) when their fill is at or before `now`. `digests`: per pump
    id, the digest and last fill time (`digest_columns`)."""
    if not ids:
        return {}
    keep = keeps_cache(session)
    if keep:
        session.execute(delete(PumpDatesRow).where(PumpDatesRow.pump_id.in_(ids)))
    found: dict[int, PumpDates] = {}
    with no_collection():
        pumps = _load_records(session, ids)
        for pump in track(pumps) if track else pumps:
            found[pump.id] = records_dates(pump, now)
    fresh = [(i, digests[i][1]) for i in ids]
    if keep:
        store_dates(
            session,
            ((i, found[i], digests[i][0], last) for i, last in fresh if last and last <= now),
        )
    return found


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
    columns = [PumpDatesRow.pump_id, *stored_columns()]
    rows = {r.pump_id: r for r in session.execute(select(*columns))}
    ids = [p.id for p in pumps]
    hits = [i for i in ids if is_current(rows.get(i), *digests[i], now)]
    found = dict(zip(hits, stored_dates([rows[i] for i in hits], now), strict=True))
    misses = [i for i in ids if i not in found]
    return found | computed_dates(session, misses, now, digests, track)


def _load_records(session: Session, ids: list[int]) -> list[Pump]:
    """The pumps `ids` (in that order) with the records their dates are computed from, read in
    a few queries, not a few per pump."""
    options = [selectinload(getattr(Pump, name)) for name in RECORDS]
    query = select(Pump).where(Pump.id.in_(ids)).options(joinedload(Pump.patient), *options)
    by_id = {p.id: p for p in session.scalars(query).unique()}
    return [by_id[i] for i in ids]


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
    gone = remembered(session, FORGOTTEN)  # deleted by this (sub)transaction, none stored since
    if gone is ALL_PUMPS or (gone is not None and not everything and pumps <= gone):
        return  # a transaction of many writes (the demo clinic) deletes each pump's once
    if everything:
        session.execute(delete(PumpDatesRow))
        remember(session, FORGOTTEN, ALL_PUMPS)
    else:
        session.execute(delete(PumpDatesRow).where(PumpDatesRow.pump_id.in_(pumps)))
        remember(session, FORGOTTEN, pumps | (gone or set()))
