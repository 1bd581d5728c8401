"""The clinic's refill calendar: one row per pump, its refill window as a bar, alarms as markers.

A window runs from the start of its earliest day to the end of its latest day (clinic calendar,
`clinic.refill_window`); a pump with no open day left is drawn as "overdue" at today. Markers are
the pump clock's local times of the low-reservoir alarm and the empty reservoir (synchromed2:S23,
S25). Closed weekdays and holidays are shaded; a vertical line marks today.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from matplotlib import dates as mdates
from matplotlib.figure import Figure

from itbtwin.clinic import ScheduleEntry, WindowOptions
from itbtwin.clinic._refill_plan import DEFAULT_WINDOW
from itbtwin.errors import RegimenError

MAX_CALENDAR_DAYS = 366
"""The longest calendar: a year of days, one column each; a longer one cannot be read (and a
span of 10^5 days would draw for hours)."""


def check_calendar_days(days: int) -> None:
    """Refuse a calendar of fewer than 1 or more than `MAX_CALENDAR_DAYS` days."""
    if not 1 <= days <= MAX_CALENDAR_DAYS:
        raise RegimenError(
            f"the calendar shows 1 to {MAX_CALENDAR_DAYS} days (a year, one column a day), "
            f"got {days:,}"
        )


CALENDAR_DAYS = 14
"""Days shown after today in the clinic report's calendar (d) [issue 6: the next two weeks]."""
CALENDAR_SOURCES = ("synchromed2:S23", "synchromed2:S25")
"""Sources of the marked alarm dates."""


def day_number(day: date | datetime) -> float:
    """Matplotlib's date number of a date (its midnight) or a naive local date-time."""
    moment = day if isinstance(day, datetime) else datetime.combine(day, time())
    return float(mdates.date2num(moment.replace(tzinfo=None)))


def window_span(entry: ScheduleEntry) -> tuple[float, float] | None:
    """(left, width) of an entry's window bar in date numbers (days); None when overdue."""
    window = entry.window
    if window.earliest is None or window.latest is None:
        return None
    return day_number(window.earliest), float((window.latest - window.earliest).days + 1)


def _shade(ax, first: date, last: date, options: WindowOptions) -> None:  # type: ignore[no-untyped-def]
    labels = {"closed": "clinic closed", "holiday": "holiday"}
    day = first
    while day <= last:
        kind = options.day_off(day)
        if kind:
            colour = "#f4d7a8" if kind == "holiday" else "0.92"
            ax.axvspan(
                day_number(day),
                day_number(day + timedelta(days=1)),
                color=colour,
                zorder=0,
                label=labels.pop(kind, None),
            )
        day += timedelta(days=1)


def refill_calendar(
    entries: Sequence[ScheduleEntry],
    *,
    today: date,
    days: int = CALENDAR_DAYS,
    options: WindowOptions = DEFAULT_WINDOW,
) -> Figure:
    """The calendar figure: rows top-down in the order given (most urgent first).

    **Arguments:**
    - `entries`: schedule entries (`clinic.refill_schedule`); `today`: the clinic's date.
    - `days` (d) shown after today; the closed weekdays and holidays of `options` are shaded.

    **Returns:** a matplotlib Figure; the bars of its "refill window" container are the windows
    of the entries that have one, in order, in date numbers (left = earliest, width in days).
    """
    check_calendar_days(days)
    fig = Figure(figsize=(10, 1.6 + 0.38 * max(len(entries), 1)), layout="constrained")
    ax = fig.subplots()
    first, last = today - timedelta(days=1), today + timedelta(days=days)
    _shade(ax, first, last, options)
    labelled: set[str] = set()

    def once(label: str) -> str | None:
        fresh = label not in labelled
        labelled.add(label)
        return label if fresh else None

    bars: list[tuple[int, float, float]] = []
    for row, entry in enumerate(entries):
        span = window_span(entry)
        if span is None:
            ax.plot(day_number(today) + 0.5, row, "s", color="C3", ms=9, label=once("overdue"))
            ax.annotate(
                f"overdue: {entry.window.action}",
                (day_number(today) + 0.5, row),
                xytext=(8, -3),
                textcoords="offset points",
                fontsize=7,
                color="C3",
            )
        else:
            bars.append((row, *span))
        for name, symbol, colour, label in (
            ("low_reservoir_h", "v", "C1", "low-reservoir alarm"),
            ("empty_h", "X", "C3", "empty reservoir"),
        ):
            when = entry.dates.local(getattr(entry.dates, name))
            if when is not None:
                ax.plot(day_number(when), row, symbol, color=colour, ms=8, ls="", label=once(label))
    if bars:
        rows, lefts, widths = zip(*bars, strict=True)
        ax.barh(rows, widths, left=lefts, height=0.5, color="C0", alpha=0.75, label="refill window")
    ax.axvline(day_number(today), color="k", lw=1.2, label="today")
    ax.set_yticks(range(len(entries)), [e.name for e in entries])
    ax.set_ylim(len(entries) - 0.5, -0.5)
    ax.set_xlim(day_number(first), day_number(last + timedelta(days=1)))
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=1 if days <= 21 else 7))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%a\n%d %b"))
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel("clinic calendar (date)")
    ax.grid(True, axis="x", alpha=0.3)
    # below the axis, outside it: with one pump the axis is short, and a legend inside or
    # anchored under the axes would cover the bars or the date labels
    fig.legend(loc="outside lower center", ncol=7, fontsize=7, frameon=False)
    ax.set_title(f"Refill calendar from {today:%a %d %b %Y}", fontsize=10, loc="left")
    return fig
