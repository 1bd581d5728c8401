"""A clinic's refill schedule: every pump's next window, most urgent first, and a week's slip.

Each pump's dates come from `pump_dates` and its window from `refill_window`; the
schedule adds what happens if the visit slips by `slip_days` past the last day of the window
(or past today when the refill is already overdue): the alarms that sound before the late visit
and the days the patient spends without drug once the reservoir is empty (synchromed2:S23, S25;
the label's boxed warning on abrupt discontinuation). The late visit is counted to the end of its
day in the clinic's time zone, the worst case within the day [assumption].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from itbtwin.clinic._pump_dates import PumpDates, pump_dates
from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.clinic._refill_plan import (
    DEFAULT_WINDOW,
    RefillWindow,
    WindowOptions,
    WindowPlan,
    clinic_day,
    refill_window,
    window_at,
    window_plan,
)
from itbtwin.clinic._slip import SLIP_DAYS, SlipOutcome, SlipPlan, slip_at, slip_plan
from itbtwin.display import format_datetime
from itbtwin.pump import Therapy, zone


@dataclass(frozen=True)
class ScheduleEntry:
    """One pump in the clinic's schedule: its name, dates, window and the slip outcome."""

    name: str
    dates: PumpDates
    window: RefillWindow
    slip: SlipOutcome
    now: tuple[Reason, ...] = ()

    @property
    def urgency(self) -> tuple[int, date, datetime]:
        """Sort key: overdue first, then by last day of the window, then by deadline."""
        overdue = self.window.latest is None
        return (0 if overdue else 1, self.window.latest or date.min, self.window.deadline)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "dates": self.dates.as_dict(),
            "window": self.window.as_dict(),
            "slip": self.slip.as_dict(),
            "now": [r.as_dict() for r in self.now],
        }


def state_now(dates: PumpDates, *, time_zone: str) -> tuple[Reason, ...]:
    """An empty pump described as such: empty since when, days without drug so far (d), what to
    do now (synchromed2:S23; the label's boxed warning on abrupt discontinuation)."""
    if not dates.empty_now or dates.empty_h is None:
        return ()
    since = dates.clock.utc(dates.empty_h).astimezone(zone(time_zone))
    days = (dates.now_h - dates.empty_h) / 24
    return (
        Reason(
            "empty_now",
            Verdict.BLOCK,
            "label:boxed-warning",
            f"the reservoir has been empty since {format_datetime(since)}: {days:.1f} days "
            "without drug so far; refill now and assess the patient for withdrawal",
        ),
    )


@dataclass(frozen=True)
class SchedulePlan:
    """A pump's schedule entry before `today` is known (`entry_at` reads it on a day)."""

    window: WindowPlan
    slip: SlipPlan


def slip_outcome(
    dates: PumpDates, window: RefillWindow, *, time_zone: str, slip_days: int = SLIP_DAYS
) -> SlipOutcome:
    """The alarms hit and days without drug (d) if the visit comes `slip_days` (d) late."""
    planned = window.latest or clinic_day(dates, time_zone)
    plan = slip_plan(dates, time_zone=time_zone)
    return slip_at(plan, dates.clock, planned, time_zone=time_zone, slip_days=slip_days)


def schedule_plan(
    dates: PumpDates,
    *,
    time_zone: str,
    first_day: date,
    options: WindowOptions = DEFAULT_WINDOW,
) -> SchedulePlan:
    """What `schedule_entry` finds before it needs `today`, for any `today` from `first_day`
    on: the window's plan (`window_plan`, same options) and the slip's."""
    window = window_plan(dates, time_zone=time_zone, first_day=first_day, options=options)
    return SchedulePlan(window, slip_plan(dates, time_zone=time_zone))


def entry_at(
    name: str,
    dates: PumpDates,
    plan: SchedulePlan,
    *,
    time_zone: str,
    options: WindowOptions = DEFAULT_WINDOW,
    slip_days: int = SLIP_DAYS,
) -> ScheduleEntry:
    """The entry `schedule_entry` gives, from a plan made with the same `options` on a day at
    or before the question's."""
    today = clinic_day(dates, time_zone)
    found = window_at(plan.window, today, options)
    slip = slip_at(
        plan.slip, dates.clock, found.latest or today, time_zone=time_zone, slip_days=slip_days
    )
    return ScheduleEntry(name, dates, found, slip, state_now(dates, time_zone=time_zone))


def schedule_entry(
    name: str,
    dates: PumpDates,
    *,
    time_zone: str,
    options: WindowOptions = DEFAULT_WINDOW,
    slip_days: int = SLIP_DAYS,
) -> ScheduleEntry:
    """One pump's entry from its dates: window (`refill_window` with `options`), slip and
    state now."""
    found = refill_window(dates, time_zone=time_zone, options=options)
    slip = slip_outcome(dates, found, time_zone=time_zone, slip_days=slip_days)
    return ScheduleEntry(name, dates, found, slip, state_now(dates, time_zone=time_zone))


def refill_schedule(
    pumps: list[tuple[str, Therapy]],
    *,
    time_zone: str | None = None,
    options: WindowOptions = DEFAULT_WINDOW,
    slip_days: int = SLIP_DAYS,
) -> list[ScheduleEntry]:
    """Every pump's next refill window, most urgent first, with the outcome of a late visit.

    **Arguments:**
    - `pumps`: (name, therapy at hour 0) per pump; `time_zone`: the clinic's IANA zone (default:
      each pump clock's zone at hour 0).
    - `options`: the window's (`WindowOptions`); its `travel` applies to every patient, so give
      it only for a one-pump schedule.
    - `slip_days` (d): how late the visit comes in the slip analysis.
    """
    entries = [
        schedule_entry(
            name,
            pump_dates(therapy),
            time_zone=time_zone or therapy.clock.zones[0][1],
            options=options,
            slip_days=slip_days,
        )
        for name, therapy in pumps
    ]
    return sorted(entries, key=lambda e: e.urgency)


def due_within(entries: Sequence[ScheduleEntry], today: date, days: int) -> list[ScheduleEntry]:
    """Entries overdue or whose window opens within `days` (d) of `today`, in the given order."""
    horizon = today + timedelta(days=days)
    return [e for e in entries if e.window.earliest is None or e.window.earliest <= horizon]
