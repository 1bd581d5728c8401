"""The refill window of one pump in the clinic's calendar.

Refill date = min(low-reservoir alarm − margin, fill + stability, ERI), then moved earlier for
closed days, holidays and the patient's travel (pumps.md §7; synchromed2:S2, S23, S25;
saulino2016-dosing: write the alarm and refill dates down). Calendar dates are in the clinic's
time zone (zoneinfo), so a daylight-saving night does not shift a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from itbtwin.clinic._pump_dates import PumpDates
from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.display import format_date, in_words
from itbtwin.errors import RegimenError
from itbtwin.pump._clock import zone

WEEKDAYS_OPEN = (0, 1, 2, 3, 4)
"""Monday to Friday: the default opening days of a clinic [assumption]."""


@dataclass(frozen=True)
class WindowOptions:
    """How the clinic sets a pump's refill window, built once from the clinic's settings or the
    command line and passed to `window_plan`, `window_at`, `refill_window` and the schedule.

    - `margin_days` (d): the last refill day falls this long before the deadline
      [assumption: the clinic's choice, 7 days by default];
    - `window_days` (d): the window's length, back from its last day;
    - `open_weekdays` (0 = Monday), `holidays` (clinic dates) and `travel` (the patient's
      inclusive date ranges): days no refill is done on, so the last day moves earlier
      (synchromed2:S23).
    """

    margin_days: int = 7
    window_days: int = 7
    open_weekdays: tuple[int, ...] = WEEKDAYS_OPEN
    holidays: tuple[date, ...] = ()
    travel: tuple[tuple[date, date], ...] = ()

    def __post_init__(self) -> None:
        if self.margin_days < 0 or self.window_days < 1:
            raise RegimenError("the margin must be >= 0 days and the window at least 1 day")

    def closed(self, day: date) -> str:
        """Why no refill can be done on `day` ("" when it can)."""
        if day.weekday() not in self.open_weekdays:
            return "the clinic is closed that weekday"
        if day in self.holidays:
            return "a holiday"
        if any(a <= day <= b for a, b in self.travel):
            return "the patient is travelling"
        return ""

    def day_off(self, day: date) -> str:
        """What a clinic calendar shades `day` as: "holiday", "closed" (a weekday the clinic is
        closed) or "" (open); the patient's travel is not the clinic's."""
        if day in self.holidays:
            return "holiday"
        return "" if day.weekday() in self.open_weekdays else "closed"

    def planned(self) -> dict[str, object]:
        """The options a `WindowPlan` is made with: all but the window's length, which
        `window_at` reads on the day (a stored plan is keyed by these)."""
        return {
            "margin_days": self.margin_days,
            "open_weekdays": self.open_weekdays,
            "holidays": self.holidays,
            "travel": self.travel,
        }


DEFAULT_WINDOW = WindowOptions()
"""The window options of a clinic that sets none: 7-day margin and window, Monday to Friday."""


@dataclass(frozen=True)
class RefillWindow:
    """Dates to refill on (clinic calendar): from `earliest` to `latest`, `deadline` the limit."""

    deadline: datetime
    limited_by: str
    earliest: date | None
    latest: date | None
    reasons: tuple[Reason, ...]
    action: str | None = None
    """What to do now when no refill day is left (None: a window is open): "refill now", or
    "replace the pump (ERI reached on …)" when the elective replacement indicator sets the
    deadline, which no refill moves (`overdue_action`)."""

    @property
    def flag(self) -> str:
        """The table cell of a window with no day left ("" when one is open): OVERDUE, or the
        pump replacement its ERI calls for."""
        if self.action is None:
            return ""
        return "OVERDUE" if self.limited_by != "eri" else self.action

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "deadline": self.deadline.isoformat(),
            "limited_by": self.limited_by,
            "earliest": self.earliest and self.earliest.isoformat(),
            "latest": self.latest and self.latest.isoformat(),
            "action": self.action,
            "reasons": [r.as_dict() for r in self.reasons],
        }


def overdue_action(plan: WindowPlan, today: date, margin_days: int) -> tuple[str, Reason]:
    """What the clinician must do when no open day is left before the deadline, and why.

    When the ERI sets the deadline a refill is not the answer: the pump stops 90 days after its
    ERI and must be replaced (synchromed2:S26; pumps.md §1.6); otherwise refill now (withdrawal
    risk, synchromed2:S23)."""
    if plan.limited_by == "eri":
        reached = "reached on" if plan.deadline.date() <= today else "due on"
        action = f"replace the pump (ERI {reached} {format_date(plan.deadline)})"
        text = (
            f"ERI {reached} {format_date(plan.deadline)}: replace the pump. It stops 90 days "
            "after the ERI, and a refill does not change that"
        )
        return action, Reason("replace_pump", Verdict.BLOCK, "synchromed2:S26", text)
    text = (
        f"no clinic day is open from today to {margin_days} days before the deadline: refill "
        "now (risk of withdrawal)"
    )
    return "refill now", Reason("refill_overdue", Verdict.BLOCK, "synchromed2:S23", text)


def clinic_day(dates: PumpDates, time_zone: str, hour: float | None = None) -> date:
    """The clinic's calendar day (in `time_zone`) at the pump's elapsed `hour` (h after the
    fill; default the question's, `dates.now_h`)."""
    at = dates.now_h if hour is None else hour
    return dates.clock.utc(at).astimezone(zone(time_zone)).date()


def _deadline(dates: PumpDates) -> tuple[float, str, str]:
    limits = [
        (dates.low_reservoir_h, "low_reservoir", "synchromed2:S25"),
        (dates.stability_h, "stability", "synchromed2:S2"),
        (dates.eri_h, "eri", "synchromed2:S26"),
        (dates.empty_h, "empty", "synchromed2:S23"),
    ]
    return min(((t, n, s) for t, n, s in limits if t is not None), key=lambda item: item[0])


@dataclass(frozen=True)
class WindowPlan:
    """What a refill window is before `today` is known: the deadline (clinic time) and what
    limits it, and the days the last refill day moves earlier from `margin_days` before it,
    down to the last open day (`latest`) or to the plan's first day (`latest` None).

    Only `today` remains: `window_at` reads the plan on any day from its first on, so a plan is
    stored with the pump's dates (issue 13) and gives what `refill_window` gives."""

    deadline: datetime
    limited_by: str
    deadline_reason: Reason
    latest: date | None
    moved: tuple[tuple[date, Reason], ...]


def window_plan(
    dates: PumpDates,
    *,
    time_zone: str,
    first_day: date,
    options: WindowOptions = DEFAULT_WINDOW,
) -> WindowPlan:
    """What `refill_window` finds before it needs `today`, for any `today` from `first_day`
    (a day in the clinic's `time_zone`) on, with the same `options`."""
    tz = zone(time_zone)
    t_h, limited_by, source = _deadline(dates)
    deadline = dates.clock.utc(t_h).astimezone(tz)
    reason = Reason(
        f"deadline_{limited_by}",
        Verdict.PASS,
        source,
        f"the {in_words(limited_by)} limit falls on {deadline:%a %d %b %Y %H:%M %Z}",
    )
    latest = deadline.date() - timedelta(days=options.margin_days)
    moved = []
    while latest >= first_day and (why := options.closed(latest)):
        text = f"{latest:%a %d %b}: {why}; moved a day earlier"
        moved.append(
            (latest, Reason("refill_moved_earlier", Verdict.PASS, "synchromed2:S23", text))
        )
        latest -= timedelta(days=1)
    return WindowPlan(
        deadline, limited_by, reason, latest if latest >= first_day else None, tuple(moved)
    )


def window_at(
    plan: WindowPlan, today: date, options: WindowOptions = DEFAULT_WINDOW
) -> RefillWindow:
    """The window on `today` (a day from the plan's first on), with the `options` of its plan."""
    latest = plan.latest
    if latest is None or latest < today:
        moved = tuple(r for day, r in plan.moved if day >= today)
        action, overdue = overdue_action(plan, today, options.margin_days)
        reasons = (plan.deadline_reason, *moved, overdue)
        return RefillWindow(plan.deadline, plan.limited_by, None, None, reasons, action)
    earliest = max(today, latest - timedelta(days=options.window_days - 1))
    while earliest < latest and options.closed(earliest):
        earliest += timedelta(days=1)
    reasons = (plan.deadline_reason, *(r for _, r in plan.moved))
    return RefillWindow(plan.deadline, plan.limited_by, earliest, latest, reasons)


def refill_window(
    dates: PumpDates, *, time_zone: str, options: WindowOptions = DEFAULT_WINDOW
) -> RefillWindow:
    """The days to refill on: `options.window_days` open days back from the deadline minus the
    margin.

    **Arguments:**
    - `dates`: the pump's event times (`pump_dates`); `time_zone`: the clinic's IANA zone.
    - `options`: the margin, the window's length and the closed days (`WindowOptions`).
    """
    today = clinic_day(dates, time_zone)
    plan = window_plan(dates, time_zone=time_zone, first_day=today, options=options)
    return window_at(plan, today, options)
