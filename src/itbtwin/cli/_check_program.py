"""`itbtwin check-program`: the review-before-confirm screen, with a 72 h dry run of both."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json, print_reasons, print_table
from itbtwin.cli._refill import EVENT_LABELS, event_moment
from itbtwin.cli._since import time_back
from itbtwin.cli._store_args import Database
from itbtwin.cli._subjects import Subject, one_subject
from itbtwin.clinic import Verdict
from itbtwin.display import (
    format_datetime,
    format_elapsed_h,
    format_number,
    format_value,
    human_label,
    mas_not_predicted,
)
from itbtwin.errors import RegimenError
from itbtwin.pump import Fill, Program
from itbtwin.sim import check_span
from itbtwin.units import parse_quantity

if TYPE_CHECKING:  # the review and its dry run (the twin) load when a change is checked
    from itbtwin.clinic import PumpDates


def _proposed(
    current: Program, daily_dose: str | None, concentration: str | None, program_file: Path | None
) -> Program:
    from itbtwin.sim import load_scenario

    if program_file is not None:
        if daily_dose or concentration:
            raise RegimenError("give --program-file or --daily-dose/--concentration, not both")
        return load_scenario(program_file).therapy.program_at(0.0)
    if daily_dose is None and concentration is None:
        raise RegimenError("propose a program: --daily-dose, --concentration or --program-file")
    dose = parse_quantity(daily_dose, "daily_dose") if daily_dose else current.daily_dose_mcg()
    told = (
        parse_quantity(concentration, "concentration")
        if concentration
        else current.concentration_mcg_per_ml
    )
    return Program.continuous(dose, told)


@app.command("check-program")
def check_program_command(
    scenario: Annotated[
        str,
        typer.Argument(
            help="Scenario TOML (its hour 0 is the pump now), or a pump serial or patient "
            "identifier in the records (the pump as recorded at --at).",
            show_default=False,
        ),
    ],
    daily_dose: Annotated[
        str | None, typer.Option(help='Proposed daily dose, e.g. "275 mcg/day" (continuous).')
    ] = None,
    concentration: Annotated[
        str | None, typer.Option(help='Concentration entered, e.g. "500 mcg/mL".')
    ] = None,
    program_file: Annotated[
        Path | None, typer.Option(help="Scenario TOML whose hour-0 program is the proposal.")
    ] = None,
    refill_volume: Annotated[str | None, typer.Option(help='Refill volume, e.g. "20 mL".')] = None,
    refill_concentration: Annotated[
        str | None, typer.Option(help="Refill concentration (default: the reservoir's).")
    ] = None,
    bridge: Annotated[bool, typer.Option(help="A bridge bolus is programmed.")] = False,
    priming: Annotated[bool, typer.Option(help="A priming bolus is programmed.")] = False,
    new_catheter: Annotated[
        bool, typer.Option(help="Implant or catheter revision: the catheter is empty.")
    ] = False,
    since: Annotated[str | None, typer.Option(help='Time since the last change, "20 h".')] = None,
    next_refill: Annotated[
        str | None, typer.Option(help='Planned interval to the next refill, "150 day".')
    ] = None,
    phase: Annotated[str, typer.Option(help="titration or maintenance.")] = "titration",
    hours: Annotated[float, typer.Option(help="Dry-run length (h).")] = 72.0,
    override: Annotated[bool, typer.Option(help="Send despite a block (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option(help="Written reason for an override.")] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            "--as-of",
            help='A recorded pump: when the change takes effect, clinic time "YYYY-MM-DD HH:MM" '
            "(default: now); in the hour repeated when the clocks go back, with its UTC offset: "
            '"2026-11-01 01:30-04:00".',
            show_default=False,
        ),
    ] = None,
    database: Database = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check a proposed program or refill: pass / warn / block with reasons, and a dry run."""
    from itbtwin.clinic import ProgramChange, reservoir_state, review_program
    from itbtwin.clinic._dry_run import REPORT_EVERY_H  # numpy: loaded when the command runs

    if override and not (reason and reason.strip()):
        raise RegimenError('an override needs a written reason: --override --reason "..."')
    if reason and not override:
        raise RegimenError("--reason is the reason for an --override; give both")
    check_span(hours, "the dry run (--hours)")  # 1e300 h overflowed the calendar (issue 17)
    if hours < REPORT_EVERY_H:  # 1e-300 h was a dry run of one row at 0 h (issue 17)
        raise RegimenError(
            f"a dry run of {hours:g} h is shorter than its {REPORT_EVERY_H:g}-hour rows: give "
            f"--hours {REPORT_EVERY_H:g} or more (default 72)"
        )
    pump = one_subject(scenario, as_of=at, database=database, what="--at")
    therapy, patient = pump.scenario.therapy, pump.scenario.patient
    if hours > (kept := therapy.device.stability_h):  # 10 years ran for minutes (issue 17)
        raise RegimenError(
            f"a dry run of {hours:,.6g} h is longer than a fill may stay in this pump ({kept:g} "
            f"h, {kept / 24:g} days, {therapy.device.source_of('stability_h').source}): it is "
            f"refilled before then; give --hours {kept:g} or less"
        )
    current = therapy.program_at(pump.dates.now_h)
    refill = None
    if refill_volume is not None:
        refill = Fill(
            parse_quantity(refill_volume, "volume"),
            parse_quantity(refill_concentration, "concentration")
            if refill_concentration
            else therapy.fill.concentration_mcg_per_ml,
        )
    elif refill_concentration is not None:
        raise RegimenError("--refill-concentration needs --refill-volume")
    change = ProgramChange(
        current,
        _proposed(current, daily_dose, concentration, program_file),
        therapy.fill.concentration_mcg_per_ml,
        therapy.device,
        origin=patient.origin,
        age_years=patient.age_years,
        hours_since_last_change=time_back(since, "--since") if since is not None else _since(pump),
        phase=phase,
        refill=refill,
        bridge_bolus=bridge,
        priming_bolus=priming,
        catheter_empty=new_catheter,
        next_refill_days=parse_quantity(next_refill, "duration") / 24 if next_refill else None,
        **reservoir_state(pump.dates),
    )
    # the verdict reads the dry run (issue 14), which starts from the fill, even of an empty pump
    result, run = review_program(
        pump.scenario,
        change,
        hours=hours,
        override_reason=reason if override else None,
        now_h=pump.dates.now_h,
    )
    if json:
        print_json(result.as_dict() | _recorded_state(pump) | {"dry_run": run.as_dict()})
    else:
        _show(result, run, pump)
    if not result.may_send:
        raise typer.Exit(1)


def _since(pump: Subject) -> float | None:
    """Hours since the recorded program in effect began (None for a file: not known)."""
    if pump.recorded is None:
        return None
    return pump.recorded.hours_since_program_change


def _recorded_state(pump: Subject) -> dict[str, object]:
    """For a recorded pump: which pump, at what time, its reservoir then, since when it is
    empty and its dates from the last fill (the dry run's current dates, as the schedule's)."""
    if pump.recorded is None:
        return {}
    r, dates = pump.recorded, pump.dates
    low = dates.low_reservoir_h is not None and dates.low_reservoir_h <= dates.now_h
    return {
        "serial": r.serial,
        "patient": r.name,
        "at": r.at.isoformat(),
        "reservoir_ml": dates.left_ml,
        "empty_since": r.empty_since and r.empty_since.isoformat(),
        "days_without_drug": _days_without_drug(dates),
        "low_reservoir_since": _local(dates, dates.low_reservoir_h) if low else None,
        "pump_dates": dates.as_dict(),
    }


def _local(dates: PumpDates, t_h: float | None) -> str | None:
    """An elapsed hour as the clinic's wall-clock time (ISO, no offset, as --at is given)."""
    moment = dates.local(t_h)
    return None if moment is None else moment.replace(tzinfo=None).isoformat()


def _days_without_drug(dates: PumpDates) -> float | None:
    """Days the reservoir has been empty at the change (None while it holds drug)."""
    from itbtwin.clinic import reservoir_state

    empty_for = reservoir_state(dates)["empty_for_h"]
    return None if empty_for is None else empty_for / 24


SIGNAL_LABELS = {
    "withdrawal_h": "Withdrawal signal, in all",
    "first_withdrawal_day": "Withdrawal signal from",
    "overdose_h": "Overdose signal, in all",
    "first_overdose_day": "Overdose signal from",
    "max_overdose_level": "Highest overdose level",
    "systemic_overdose_h": "Systemic (plasma) overdose, in all",
}
"""The dry run's signals in a clinician's words (the JSON keeps the keys)."""


def _signal(key: str, value: object) -> str:
    """A signal's hours ("36 h", "3 days") and its onset after now ("after 55 min" reads
    "after 0.92 h"), never a fraction of a day such as 0.0382."""
    if isinstance(value, float) and key.endswith("_day"):
        return f"after {format_elapsed_h(value * 24)}"
    if isinstance(value, float) and key.endswith("_h"):
        return format_elapsed_h(value)
    return format_value(value)


def _show(result, run, pump: Subject) -> None:  # type: ignore[no-untyped-def]
    console.print(
        f"{result.current_mcg:g} → {result.proposed_mcg:g} mcg/day: "
        f"[bold]{result.verdict.value.upper()}[/]"
        + (" (overridden)" if result.override_reason and result.verdict == Verdict.BLOCK else "")
    )
    if pump.recorded is not None:
        r = pump.recorded
        console.print(
            f"pump {r.serial} of {r.name} at {format_datetime(r.at)}: "
            f"{format_number(pump.dates.left_ml, 'mL')} left",
            highlight=False,
        )
        empty = _days_without_drug(pump.dates)
        if empty is not None:
            console.print(
                f"empty since {format_datetime(r.empty_since)}: {format_elapsed_h(empty * 24)} "
                "without drug so far; the dry run starts from the last fill",
                highlight=False,
            )
    print_reasons(list(result.reasons))
    if run.unavailable:
        console.print(f"dry run of the proposal not possible: {run.unavailable}", highlight=False)
    print_table(
        "Dry run: current vs proposed (typical response, patient controlled on the current dose)",
        ["from now", "CSF now (ng/mL)", "MAS now", "CSF proposed (ng/mL)", "MAS proposed"],
        [  # CSF to 0.1 ng/mL: a dry reservoir's tail is 0, not 0.000...012; days past 48 h
            [
                format_elapsed_h(r[0]),
                round(r[1], 1),
                r[2] or "-",
                "-" if r[3] is None else round(r[3], 1),
                r[4] or "-",
            ]
            for r in run.rows
        ],
    )
    if not any(r[2] or r[4] for r in run.rows):  # "-" in every MAS cell: say why
        name = None if pump.recorded is None else pump.recorded.name
        console.print(mas_not_predicted(name), highlight=False, markup=False)
    signals = run.proposed_signals or {}
    print_table(
        "Signals over the dry run",
        ["signal", "current", "proposed"],
        [
            [SIGNAL_LABELS.get(k, human_label(k)), _signal(k, v), _signal(k, signals.get(k))]
            for k, v in run.current_signals.items()
        ],
    )
    now, later = run.current_dates, run.proposed_dates
    # counted from the fill (a proposed refill: from it), stability too (synchromed2:S2)
    rows = [
        [
            label,
            event_moment(now, getattr(now, f"{name}_h")),
            event_moment(later, getattr(later, f"{name}_h")) if later else "-",
        ]
        for name, label in EVENT_LABELS[:3]
    ]
    print_table(
        "Pump dates (pump clock, no further refill)", ["event", "current", "proposed"], rows
    )
