"""`itbtwin schedule`: the clinic's refill windows for the coming days and the patients at risk,
from the records (`store.clinic_overview`: the same rules as `refill schedule` and `risk`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import track

from itbtwin import store
from itbtwin.cli._app import app, err_console
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._refill import OPEN_DAYS, Holiday, Margin, Open, Window, window_options
from itbtwin.cli._risk import print_risks
from itbtwin.cli._store_args import Database, Json, records, when
from itbtwin.display import Markup, format_count, format_date, format_datetime, format_elapsed_h
from itbtwin.errors import RecordError

if TYPE_CHECKING:  # the schedule's rules load when the schedule is computed (issue 13)
    from itbtwin.clinic import ScheduleEntry

QUIET_UP_TO = 3
"""Up to this many pumps the schedule is quick enough to need no progress bar."""


def _progress(pumps: list[store.Pump]) -> Iterable[store.Pump]:
    if len(pumps) <= QUIET_UP_TO:
        return pumps
    return track(pumps, "Simulating pumps", console=err_console, transient=True)


def _status(entry: ScheduleEntry) -> str:
    """Empty (since when, days without drug), overdue, or nothing to flag."""
    dates = entry.dates
    if dates.empty_now and dates.empty_h is not None:
        without = format_elapsed_h(dates.now_h - dates.empty_h)
        since = format_datetime(dates.clock.local(dates.empty_h))
        return Markup(f"[bold red]EMPTY since {since} ({without} without drug)[/]")
    return Markup(f"[bold red]{entry.window.flag}[/]") if entry.window.latest is None else ""


def _row(entry: ScheduleEntry, serial: str) -> list[object]:
    w = entry.window
    return [
        entry.name,
        serial,
        format_date(w.earliest) if w.earliest else "NOW",
        format_date(w.latest) if w.latest else w.flag,
        format_datetime(w.deadline),
        w.limited_by.replace("_", " "),
        _status(entry),
    ]


@app.command("schedule")
def schedule(
    days: Annotated[int, typer.Option(help="Show windows opening within this many days.")] = 14,
    margin: Margin = "7 day",
    window: Window = "7 day",
    open_: Open = OPEN_DAYS,
    holiday: Holiday = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            "--at",  # as risk, refill plan and check-program take it
            help='Clinic time to plan from, "YYYY-MM-DD HH:MM" (default: now); in the hour '
            'repeated when the clocks go back, with its UTC offset: "2026-11-01 01:30-04:00".',
        ),
    ] = None,
    database: Database = None,
    json: Json = False,
) -> None:
    """Refill windows of every implanted pump (most urgent first) and the patients at risk."""
    if days < 0:
        raise RecordError(f"--days must be 0 or more, got {days}")
    from itbtwin.sim._limits import MAX_SPAN_H

    if days > MAX_SPAN_H / 24:  # 2**63 days overflowed the calendar
        raise RecordError(
            f"--days {days:,} is more than {MAX_SPAN_H / 24:,.0f} (10 years, the longest service "
            "life of a pump)"
        )
    from itbtwin.store._as_of import clinic_time  # the store loads when a command runs
    from itbtwin.store._overview import pump_serials

    at = when(as_of, "--as-of", offset=True)
    options = window_options(margin=margin, window=window, open_=open_, holiday=holiday)
    with records(database) as session:
        if as_of is not None:  # in every implanted pump's zone (issue 17)
            at = clinic_time(session, at, "--as-of")
        overview = store.clinic_overview(session, now=at, options=options, track=_progress)
        serials = pump_serials(session)
    due, at_risk = overview.due_within(days), overview.at_risk()
    if json:
        print_json(
            overview.as_dict()
            | {
                "days": days,
                "due": [{"patient": e.name, "serial": serials[e.name]} for e in due],
                "at_risk": [r.name for r in at_risk],
            }
        )
        return
    print_table(
        f"Refills due within {days} days of {at:%a %d %b %Y} (most urgent first; "
        f"{format_count(len(overview.entries), 'implanted pump')})",
        [
            "patient",
            "pump",
            "refill from",
            "refill by",
            "deadline",
            "limited by",
            "status",
        ],
        [_row(e, serials[e.name]) for e in due],
    )
    print_risks("Patients at risk of withdrawal, highest first", at_risk, flagged_only=True)
