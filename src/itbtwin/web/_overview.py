"""The clinic overview the dashboard and patient pages show, computed once per change.

`store.clinic_overview` reads every implanted pump's dates; its answer changes only when a record
changes (every change adds an audit row) or time moves on, so it is kept per (newest audit row,
the clinic's hour) and recomputed after the next change or on the hour.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itbtwin import store
from itbtwin.clinic import ScheduleEntry, WindowOptions
from itbtwin.web._settings import WebSettings

CALENDAR_DAYS = 14
"""Days shown on the dashboard's calendar (issue 6's look-ahead)."""


@dataclass(frozen=True)
class CalendarDay:
    """One day of the calendar: closed or open, and the patients whose last refill day it is."""

    day: date
    closed: str
    due: tuple[ScheduleEntry, ...]
    opens: tuple[ScheduleEntry, ...]


_lock = threading.Lock()
_cache: dict[tuple[int, str, datetime], store.ClinicOverview] = {}


def overview_key(db: Session, now: datetime) -> tuple[int, str, datetime]:
    """What the clinic's computed views depend on: the newest audit row (every change adds
    one), the database and the clinic's hour (days ahead are counted from it)."""
    newest = db.scalar(select(func.max(store.AuditEntry.id))) or 0
    return newest, str(db.get_bind().url), now.replace(minute=0, second=0, microsecond=0)


def window_options(settings: WebSettings) -> WindowOptions:
    """The clinic's refill-window options from its web settings (opening weekdays, holidays)."""
    return WindowOptions(holidays=settings.holidays, open_weekdays=settings.open_weekdays)


def _computed(db: Session, now: datetime, settings: WebSettings) -> store.ClinicOverview:
    """The overview from the store; from a read transaction, in a write transaction of its own
    (the store keeps each pump's dates in the database when they change)."""
    options = window_options(settings)
    writer = db.info.get("writer")
    if writer is None:
        return store.clinic_overview(db, now=now, options=options)
    with store.transaction(writer) as write:
        return store.clinic_overview(write, now=now, options=options)


def clinic_overview(db: Session, settings: WebSettings) -> store.ClinicOverview:
    """The overview at the clinic's now, reused until a record changes or the day turns."""
    now = settings.clinic_clock()
    key = overview_key(db, now)
    with _lock:
        found = _cache.get(key)
    if found is None:
        found = _computed(db, now, settings)
        with _lock:
            _cache.clear()
            _cache[key] = found
    return found


def calendar(
    entries: tuple[ScheduleEntry, ...], today: date, settings: WebSettings
) -> list[CalendarDay]:
    """The next `CALENDAR_DAYS` days with closed days and each pump's window on it."""
    days = []
    options = window_options(settings)
    for offset in range(CALENDAR_DAYS):
        d = today + timedelta(days=offset)
        closed = options.day_off(d)
        due = tuple(e for e in entries if e.window.latest == d)
        opens = tuple(e for e in entries if e.window.earliest == d)
        days.append(CalendarDay(d, closed, due, opens))
    return days
