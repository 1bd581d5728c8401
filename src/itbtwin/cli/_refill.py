"""`itbtwin refill plan` / `refill schedule`: pump dates, refill windows, a late visit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json, print_reasons, print_table
from itbtwin.cli._store_args import Database
from itbtwin.cli._subjects import AsOf, Subject, one_subject, subjects
from itbtwin.clinic import worst
from itbtwin.display import Markup, badge, format_datetime, format_elapsed_h, format_number
from itbtwin.errors import RegimenError
from itbtwin.pump import WEEKDAYS
from itbtwin.sim import MAX_SPAN_H, check_span
from itbtwin.typed_dates import parse_date
from itbtwin.units import parse_quantity

if TYPE_CHECKING:
    from itbtwin.clinic import PumpDates, ScheduleEntry, WindowOptions

refill_app = typer.Typer(
    help="Refill planning: when each pump needs the clinic.", no_args_is_help=True
)
app.add_typer(refill_app, name="refill")

OPEN_DAYS = "mon,tue,wed,thu,fri"
"""The clinic's opening days when --open is not given, as typed: `clinic.WEEKDAYS_OPEN`, which a
test keeps equal (reading it here would load the refill plan and NumPy for a --help page)."""

Margin = Annotated[str, typer.Option(help='Clinic margin before the deadline, e.g. "7 day".')]
Window = Annotated[str, typer.Option(help='Length of the refill window, e.g. "7 day".')]
Open = Annotated[str, typer.Option("--open", help="Opening weekdays, e.g. mon,tue,wed,thu,fri.")]
Holiday = Annotated[
    list[str] | None, typer.Option("--holiday", help="Clinic holiday YYYY-MM-DD (repeatable).")
]
Travel = Annotated[
    list[str] | None,
    typer.Option("--travel", help="Patient away FROM:TO, YYYY-MM-DD:YYYY-MM-DD (repeatable)."),
]
Zone = Annotated[
    str | None, typer.Option(help="Clinic IANA time zone (default: the pump clock's).")
]
Slip = Annotated[str, typer.Option(help='How late a slipped visit comes, e.g. "7 day".')]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def whole_days(text: str, what: str) -> int:
    """A duration option as whole days (d); refuse fractions of a day."""
    days = parse_quantity(text, "duration") / 24
    check_span(24 * abs(days), what)
    if abs(days - round(days)) > 1e-9:
        raise RegimenError(f"{what} must be whole days, got {text!r}")
    return round(days)


def weekdays(text: str) -> tuple[int, ...]:
    """Opening weekdays from "mon,tue,..." (0 = Monday); an empty name ("mon,", "mon,,tue") is
    refused: a day may have been lost in typing (issue 17)."""
    names = [n.strip().lower() for n in text.split(",")]
    if "" in names and text.strip():
        raise RegimenError(
            f"--open {text!r} has an empty day between commas: use mon,...,sun (or the full names)"
        )
    full = [f"{n}day" for n in ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")]
    unknown = [n for n in names if n not in WEEKDAYS and n not in full]
    if unknown or not names:
        raise RegimenError(
            f"unknown weekday {unknown[0] if unknown else text!r}: use mon,...,sun "
            "(or the full names)"
        )
    return tuple(sorted({full.index(n) if n in full else WEEKDAYS.index(n) for n in names}))


def iso_date(text: str, what: str) -> date:
    """A date option typed YYYY-MM-DD (`typed_dates.parse_date`: no week or ordinal date)."""
    return parse_date(text, what, RegimenError)


def planning_date(text: str, what: str) -> date:
    """A day a refill plan reads (a holiday, a day away): from the first programmable pump
    (`store._bounds.EARLIEST_IMPLANT`, 1988) to 10 years ahead (`sim.MAX_SPAN_H`, the longest
    plan); a holiday in 1800 or a trip to 9999 is a typing error (issue 17)."""
    from itbtwin.store._bounds import EARLIEST_IMPLANT

    day = iso_date(text, what)
    latest = date.today() + timedelta(hours=MAX_SPAN_H)
    if not EARLIEST_IMPLANT <= day <= latest:
        raise RegimenError(
            f"{what} {day} is outside {EARLIEST_IMPLANT} to {latest}: a refill plan reads days "
            "from the first programmable pump (1988) to 10 years ahead"
        )
    return day


def trips(texts: list[str]) -> tuple[tuple[date, date], ...]:
    """Travel ranges FROM:TO (inclusive dates); FROM must not be after TO."""
    ranges = []
    for text in texts:
        first, sep, last = text.partition(":")
        if not sep:
            raise RegimenError(f"travel {text!r} must be FROM:TO, e.g. 2024-02-01:2024-02-10")
        a, b = planning_date(first, "travel start"), planning_date(last, "travel end")
        if a > b:
            raise RegimenError(f"travel {text!r} ends before it starts")
        ranges.append((a, b))
    return tuple(ranges)


def window_options(
    *,
    margin: str = "7 day",
    window: str = "7 day",
    open_: str = OPEN_DAYS,
    holiday: list[str] | None = None,
    travel: list[str] | None = None,
) -> WindowOptions:
    """The refill-window options as typed (--margin, --window, --open, --holiday, --travel),
    parsed and checked once."""
    from itbtwin.clinic import WindowOptions

    return WindowOptions(
        margin_days=whole_days(margin, "the margin"),
        window_days=whole_days(window, "the window"),
        open_weekdays=weekdays(open_),
        holidays=tuple(planning_date(h, "holiday") for h in holiday or ()),
        travel=trips(travel or []),
    )


def _schedule(pumps: list[Subject], margin, window, open_, holiday, travel, zone, slip):  # type: ignore[no-untyped-def]
    """Each pump's window and slip from its dates (a file's from hour 0, a recorded pump's at
    --as-of, as `itbtwin schedule` reads it), most urgent first, with the warnings for a trip
    longer than one fill covers and a margin as long as a fill (`clinic._trip`)."""
    from itbtwin.clinic import schedule_entry
    from itbtwin.clinic._trip import check_trips_to_come, fill_reasons, fill_span

    options = window_options(
        margin=margin, window=window, open_=open_, holiday=holiday, travel=travel
    )
    for pump in pumps:  # a trip already over is refused, not judged as one ahead (issue 17)
        check_trips_to_come(options.travel, pump.dates.local(pump.dates.now_h).date())
    slip_days = whole_days(slip, "the slip")
    entries = [
        (
            schedule_entry(
                pump.name,
                pump.dates,
                time_zone=pump.time_zone if zone is None else zone,  # "" is no zone (issue 17)
                options=options,
                slip_days=slip_days,
            ),
            fill_reasons(
                options.travel,
                fill_span(pump.scenario.therapy, pump.dates.mean_ml_per_day),
                margin_days=options.margin_days,
            ),
        )
        for pump in pumps
    ]
    return sorted(entries, key=lambda pair: pair[0].urgency)


@refill_app.command("plan")
def plan(
    scenario: Annotated[
        str,
        typer.Argument(
            help="Scenario TOML (its hour 0 is the pump now), or a pump serial or patient "
            "identifier in the records.",
            show_default=False,
        ),
    ],
    margin: Margin = "7 day",
    window: Window = "7 day",
    open_: Open = OPEN_DAYS,
    holiday: Holiday = None,
    travel: Travel = None,
    time_zone: Zone = None,
    slip: Slip = "7 day",
    as_of: AsOf = None,
    database: Database = None,
    json: Json = False,
) -> None:
    """One pump: alarm, empty, stability, ERI/EOS dates and the refill window, with reasons."""
    pump = one_subject(scenario, as_of=as_of, database=database)
    entry, fill = _schedule([pump], margin, window, open_, holiday, travel, time_zone, slip)[0]
    if json:
        serial = {"serial": pump.recorded.serial} if pump.recorded else {}
        print_json(entry.as_dict() | serial | {"fill_warnings": [r.as_dict() for r in fill]})
        return
    dates = entry.dates
    console.print(
        f"[bold]{escape(entry.name)}[/]: {format_number(dates.left_ml, 'mL')} left, programmed "
        f"{format_number(dates.mean_ml_per_day, 'mL/day')}",
        highlight=False,
    )
    print_reasons(list(entry.now))
    print_table(
        "Pump dates (pump clock, no further refill; demand boluses at maximum use)",
        ["event", "date", "from now"],
        [
            [label, event_moment(dates, getattr(dates, f"{name}_h")), _from_now(dates, name)]
            for name, label in EVENT_LABELS
        ],
    )
    _show_window(entry)
    print_reasons(list(fill))


EVENT_LABELS = (
    ("low_reservoir", "Low-reservoir alarm"),
    ("empty", "Reservoir empty"),
    ("stability", "Drug stability limit"),
    ("eri", "Elective replacement (ERI)"),
    ("eos", "End of service"),
)
"""The pump dates a plan shows, in the words a clinician reads."""


def event_moment(dates: PumpDates, t_h: float | None) -> str:
    """An event's date on the pump clock, in the one format with its zone. None reads "after
    end of service" on a pump with a battery (it stops first: `clinic.pump_dates`), else
    "never" (no such alarm on the device)."""
    local = dates.local(t_h)
    if local is None:
        return "never" if dates.eos_h is None else "after end of service"
    return format_datetime(local, zone=True)


def _from_now(dates: PumpDates, name: str) -> str:
    ahead = dates.ahead_h(getattr(dates, f"{name}_h"))
    if ahead is None:
        return "-"
    return f"in {format_elapsed_h(ahead)}" if ahead > 0 else f"{format_elapsed_h(-ahead)} ago"


def _show_window(entry: ScheduleEntry) -> None:
    w = entry.window
    if w.latest is None:
        action = w.action or ""  # set whenever no day is left (`clinic.overdue_action`)
        why = "" if w.limited_by == "eri" else ": no open day is left before the deadline"
        console.print(f"[bold red]{action[:1].upper()}{action[1:]}[/]{why}")
    else:
        console.print(
            f"Refill between [bold]{w.earliest:%a %d %b %Y}[/] and {w.latest:%a %d %b %Y}"
        )
    print_reasons(list(w.reasons))
    console.print(f"If the visit slips to {entry.slip.visit:%a %d %b %Y}:")
    print_reasons(list(entry.slip.reasons))


@refill_app.command("schedule")
def schedule(
    scenarios: Annotated[
        list[str],
        typer.Argument(
            help="Scenario TOML files or folders of them, or pump serials or patient "
            "identifiers in the records."
        ),
    ],
    margin: Margin = "7 day",
    window: Window = "7 day",
    open_: Open = OPEN_DAYS,
    holiday: Holiday = None,
    travel: Travel = None,
    time_zone: Zone = None,
    slip: Slip = "7 day",
    as_of: AsOf = None,
    database: Database = None,
    json: Json = False,
) -> None:
    """A clinic: every pump's next window, most urgent first, and what a week's slip does."""
    pumps = subjects(scenarios, as_of=as_of, database=database)
    found = _schedule(pumps, margin, window, open_, holiday, travel, time_zone, slip)
    entries = [entry for entry, _ in found]
    if json:
        print_json(
            {"pumps": [e.as_dict() | {"fill_warnings": [r.as_dict() for r in w]} for e, w in found]}
        )
        return
    print_table(
        "Refill schedule, most urgent first (dates in the clinic's calendar)",
        ["pump", "refill from", "refill by", "limit", "if the visit slips"],
        [
            [
                e.name,
                e.window.earliest or "NOW",
                e.window.latest or e.window.flag,
                e.window.limited_by.replace("_", " "),
                _slip_summary(e),
            ]
            for e in entries
        ],
    )
    for entry, warnings in found:
        if warnings:
            console.print(f"[bold]{escape(entry.name)}[/]:", highlight=False)
            print_reasons(list(warnings))


def _slip_summary(entry: ScheduleEntry) -> Markup:
    """What a week's slip does: the check's badge, the alarms it runs into, days without drug."""
    slip = entry.slip
    hit = ", ".join(a.replace("_", " ") for a in slip.alarms_hit) or "no alarm"
    text = f"{badge(worst(list(slip.reasons)))} {escape(hit)}"
    if slip.days_without_drug:
        text += f", {format_elapsed_h(slip.days_without_drug * 24)} without drug"
    return Markup(text)
