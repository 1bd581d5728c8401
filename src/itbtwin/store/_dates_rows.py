"""The stored dates of each pump's last fill (table `pump_dates`, migration 0006), read and
written as plain rows, never as ORM objects (issue 13: a thousand rows in a few milliseconds).

A row holds elapsed hours from `fill_at` and a digest of what they were computed from
(`depends_on`); the columns that make that digest are SELECT expressions (`digest_columns`), so
a caller reads them in the same query as its pumps and compares them with the stored row.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any

import numpy as np
from sqlalchemy import (
    JSON,
    Double,
    ForeignKey,
    String,
    Text,
    cast,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from itbtwin.clinic import PumpDates
from itbtwin.pump import PumpClock, zone
from itbtwin.pump._reservoir_forecast import ReservoirForecast
from itbtwin.store._clinic_settings import ClinicSettingsRow
from itbtwin.store._schema import (
    Base,
    Correction,
    EventRecord,
    ProgramVersion,
    Pump,
    RefillRecord,
    Revision,
)
from itbtwin.store._transaction_memo import forget

DATES_VERSION = "exact-4"  # exact-2: a bridge bolus after the history's first fill counts;
# exact-3: recorded unit slips and wrong concentrations (with their programmed value) replayed;
# exact-4: a bridge at a refill entered with its new program runs the old program
"""Bumped when the way dates are computed changes: every stored row is then recomputed."""
FORGOTTEN = "itbtwin.dates_forgotten"
"""`_transaction_memo` key: the pump ids whose rows this (sub)transaction deleted and has not
stored again (`ALL_PUMPS` after deleting every row)."""
ALL_PUMPS = frozenset({-1})
"""Every pump's rows deleted."""


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
    plan_key: Mapped[str | None] = mapped_column(String(64))
    plan: Mapped[Any | None] = mapped_column(JSON)
    """The schedule plan read with the dates (migration 0010, `store._schedule_plans`)."""


def _newest(column: Any) -> Any:
    return select(func.max(column)).where(column.table.c.pump_id == Pump.id).scalar_subquery()


def digest_columns() -> list[ColumnElement[Any]]:
    """What a pump's dates depend on, as columns beside `Pump.id` in one SELECT: the pump row,
    the newest program version, refill, event and revision, corrections and clinic settings;
    the last one, `last_fill`, is the time of the newest refill (the row's `fill_at`)."""
    return [
        Pump.device,
        Pump.implanted_at,
        Pump.time_zone,
        Pump.catheter_model,
        Pump.catheter_length_cm,
        _newest(ProgramVersion.id),
        _newest(RefillRecord.id),
        _newest(EventRecord.id),
        _newest(Revision.id),
        select(func.max(Correction.id)).scalar_subquery(),
        select(func.max(ClinicSettingsRow.updated_at)).scalar_subquery(),
        _newest(RefillRecord.performed_at).label("last_fill"),
    ]


def digest(parts: Sequence[Any]) -> str:
    """The digest of `digest_columns` read for one pump (`last_fill` left out)."""
    return _digest(tuple(parts[:-1]))


@lru_cache(maxsize=20_000)
def _digest(parts: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr((DATES_VERSION, *parts)).encode()).hexdigest()


@contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while a clinic's dates are read or computed: it
    would walk every object loaded, again and again (issue 13: the dates of 10,000 pumps took
    27 s with it, 12 s without); reference counting still frees what each pump leaves."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def stored_columns() -> list[ColumnElement[Any]]:
    """The stored row's columns, its JSON as text (one parse for all rows, `stored_dates`;
    the schedule plan's, `plan`, by `store._schedule_plans`)."""
    table = PumpDatesRow.__table__.c
    plain = ["depends_on", "fill_at", "low_reservoir_h", "empty_h", "stability_h", "eri_h"]
    return [
        *(table[name] for name in plain),
        table.eos_h,
        cast(table.volume_knots, Text).label("volume_knots"),
        cast(table.program_rates, Text).label("program_rates"),
        cast(table.clock, Text).label("clock"),
        table.plan_key,
        cast(table.plan, Text).label("plan"),
    ]


_content = attrgetter(
    "low_reservoir_h",
    "empty_h",
    "stability_h",
    "eri_h",
    "eos_h",
    "volume_knots",
    "program_rates",
    "clock",
)
"""The stored columns that make a row's dates."""


def is_current(row: Any, depends_on: str, last_fill: datetime | None, now: datetime) -> bool:
    """Whether a stored row (None: none) holds the dates at `now`: its digest is the records'
    and its fill is the last one, at or before `now`."""
    return (
        row is not None
        and row.depends_on == depends_on
        and last_fill is not None
        and last_fill <= now
        and row.fill_at == last_fill
    )


def _clock_json(clock: PumpClock) -> dict[str, Any]:
    return {
        "start_utc": clock.utc(0.0).isoformat(),
        "zones": [list(z) for z in clock.zones],
        "follow_dst": clock.follow_dst,
    }


def _clock(data: dict[str, Any]) -> PumpClock:
    zones = tuple((float(t), str(name)) for t, name in data["zones"])
    return PumpClock(datetime.fromisoformat(data["start_utc"]), zones, bool(data["follow_dst"]))


def elapsed(clock: PumpClock, now: datetime) -> float:
    """Elapsed hours of the clinic's wall-clock `now` on the pump clock (daylight saving kept)."""
    return clock.hours(now.replace(tzinfo=zone(clock.zones[0][1])))


MEMO_ROWS = 20_000
"""How many stored rows a process keeps parsed (a few kB each): the web server reads the same
rows again and again; a row is found by its whole content, so a changed row is parsed anew."""

_parsed: dict[tuple[Any, ...], PumpDates] = {}


def stored_dates(rows: Sequence[Any], now: datetime) -> list[PumpDates]:
    """The dates of stored rows (`stored_columns`) read at `now`, the clinic's wall-clock time;
    the JSON of the rows not parsed before in this process parsed in one call."""
    keys = [_content(row) for row in rows]
    new = [(key, row) for key, row in zip(keys, rows, strict=True) if key not in _parsed]
    if len(_parsed) + len(new) > MEMO_ROWS:
        _parsed.clear()
    text = ",".join(f"[{r.volume_knots},{r.program_rates},{r.clock}]" for _, r in new)
    for (key, row), (knots, rates, clock_json) in zip(new, json.loads(f"[{text}]"), strict=True):
        times, volume = knots
        forecast = ReservoirForecast(
            np.array(times, float), np.array(volume, float), volume[-1], row.eos_h or np.inf
        )
        _parsed[key] = PumpDates(
            row.low_reservoir_h,
            row.empty_h,
            row.stability_h,
            row.eri_h,
            row.eos_h,
            (tuple(rates[0]), tuple(rates[1])),
            _clock(clock_json),
            forecast,
        )
    found = []
    for key in keys:
        d = _parsed[key]
        found.append(
            PumpDates(
                d.low_reservoir_h,
                d.empty_h,
                d.stability_h,
                d.eri_h,
                d.eos_h,
                d.program_rates,
                d.clock,
                d.reservoir,
                elapsed(d.clock, now),
            )
        )
    return found


def store_dates(session: Session, rows: Iterable[tuple[int, PumpDates, str, datetime]]) -> None:
    """Insert (pump id, dates, digest, fill time) rows in one statement, in the caller's
    transaction."""
    computed_at = datetime.now(UTC).replace(tzinfo=None)
    values = [
        {
            "pump_id": pump_id,
            "depends_on": depends_on,
            "fill_at": fill_at,
            "low_reservoir_h": dates.low_reservoir_h,
            "empty_h": dates.empty_h,
            "stability_h": dates.stability_h,
            "eri_h": dates.eri_h,
            "eos_h": dates.eos_h,
            "volume_knots": [dates.reservoir.times_h.tolist(), dates.reservoir.volume_ml.tolist()],
            "program_rates": [list(dates.program_rates[0]), list(dates.program_rates[1])],
            "clock": _clock_json(dates.clock),
            "computed_at": computed_at,
        }
        for pump_id, dates, depends_on, fill_at in rows
    ]
    if values:
        session.execute(insert(PumpDatesRow.__table__), values)
        forget(session, FORGOTTEN)  # rows are back: the next write deletes its pump's again
