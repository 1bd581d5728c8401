"""`itbtwin risk`: patients ranked by withdrawal risk, with reasons, and an education sheet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from itbtwin.cli._app import app, console
from itbtwin.cli._file_path import file_path
from itbtwin.cli._output import print_json, print_reasons, print_table
from itbtwin.cli._refill import window_options
from itbtwin.cli._sheet import write_sheet
from itbtwin.cli._shown import print_written
from itbtwin.cli._store_args import Database
from itbtwin.cli._subjects import AsOf, subjects
from itbtwin.display import badge, format_days_of_drug
from itbtwin.errors import ParameterError, RegimenError
from itbtwin.user_files import load_toml

if TYPE_CHECKING:  # the risk rules load when risks are ranked (issue 13)
    from itbtwin.clinic import PatientRisk, PumpDates, RiskRecord

_RECORD_KEYS = {"injury_level", "communication_difficulty", "prior_withdrawal", "missed_visits"}


def load_register(path: Path) -> dict[str, RiskRecord]:
    """The clinic's register: one `[NAME]` table per scenario file stem with the record's keys."""
    from itbtwin.clinic import RiskRecord

    data = load_toml(path, "risk register", ParameterError)
    records = {}
    for name, table in data.items():
        unknown = set(table) - _RECORD_KEYS if isinstance(table, dict) else {"(not a table)"}
        if unknown:
            raise ParameterError(f"register {path}: [{name}] has unknown keys {sorted(unknown)}")
        try:
            _typed_count(table.get("missed_visits"), f"register {path}: [{name}] missed_visits")
            records[name] = RiskRecord(**table)
        except ParameterError as err:
            raise ParameterError(f"register {path}: [{name}] {err}") from None
    return records


def _typed_count(missed: object, what: str) -> None:
    """A typed count of missed visits at most 100, as the records take it (`store._bounds`): a
    billion was ranked without a word (issue 17)."""
    from itbtwin.store._bounds import check_bound

    if isinstance(missed, int) and not isinstance(missed, bool) and missed > 0:
        check_bound("missed_visits", missed, what)


@app.command()
def risk(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Scenario TOML files (hour 0 = now) or folders, or pump serials or patient "
            "identifiers in the records; none: every implanted pump in the records.",
            show_default=False,
        ),
    ] = None,
    register: Annotated[
        Path | None,
        typer.Option(
            help="TOML register: [file_stem] injury_level, communication_difficulty, "
            "prior_withdrawal, missed_visits."
        ),
    ] = None,
    injury_level: Annotated[
        str | None, typer.Option(help="Spinal cord injury level, e.g. T4 (one scenario).")
    ] = None,
    communication_difficulty: Annotated[
        bool, typer.Option(help="The patient has communication difficulties (one scenario).")
    ] = False,
    prior_withdrawal: Annotated[
        bool, typer.Option(help="The patient had withdrawal before (one scenario).")
    ] = False,
    missed_visits: Annotated[int, typer.Option(help="Missed refill visits (one scenario).")] = 0,
    sheet: Annotated[
        Path | None,
        typer.Option(
            parser=file_path,
            help="Write the education sheet here, .html or .pdf (one scenario or patient; a "
            "recorded patient's sheet gives the clinic's phone and hours from itbtwin clinic set).",
        ),
    ] = None,
    large_print: Annotated[bool, typer.Option(help="Large print (18 pt) education sheet.")] = False,
    margin: Annotated[str, typer.Option(help='Refill margin for the sheet, "7 day".')] = "7 day",
    clinic_phone: Annotated[str, typer.Option(help="Clinic phone for the sheet.")] = "",
    as_of: AsOf = None,
    database: Database = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Rank patients by withdrawal risk: label risk factors plus days left, alarms, ERI, faults."""
    from itbtwin.clinic import RiskRecord, rank_risks

    window = window_options(margin=margin)  # checked even without --sheet (issue 17)
    if large_print and sheet is None:  # it printed nothing larger, without a word (issue 17)
        raise RegimenError("--large-print is for the education sheet: give --sheet FILE too")
    if clinic_phone:
        from itbtwin.store._bounds import check_phone

        check_phone(clinic_phone, "--clinic-phone")
    pumps = subjects(scenarios or [], as_of=as_of, database=database, every=True)
    given = injury_level or communication_difficulty or prior_withdrawal or missed_visits
    if (given or sheet) and len(pumps) != 1:
        raise RegimenError(
            "patient options and --sheet apply to one scenario or patient; use --register"
        )
    if (given or register) and any(p.recorded for p in pumps):
        raise RegimenError(
            "the records hold a recorded patient's risk factors: change them with "
            "itbtwin patient update, not --register or the patient options"
        )
    records = load_register(register) if register else {}
    unmatched = sorted(set(records) - {p.name for p in pumps})
    if unmatched:
        raise ParameterError(
            f"register {register}: [{unmatched[0]}] matches no scenario given (names are the "
            f"scenario files' stems: {', '.join(sorted(p.name for p in pumps))})"
        )
    if given:
        _typed_count(missed_visits, "--missed-visits")
        records[pumps[0].name] = RiskRecord(
            injury_level, communication_difficulty, prior_withdrawal, missed_visits
        )
    ranked = rank_risks([p.risk(records.get(p.name)) for p in pumps])
    if sheet is not None:
        write_sheet(
            sheet,
            ranked[0],
            pumps[0],
            options=window,
            clinic_phone=clinic_phone,
            large_print=large_print,
            database=database,
        )
    if json:
        print_json(
            {"patients": [r.as_dict() for r in ranked], "sheet": str(sheet) if sheet else None}
        )
        return
    if not ranked:
        console.print("no implanted pump in the records", highlight=False)
        return
    print_risks("Withdrawal risk, highest first", ranked)
    if sheet is not None:
        print_written("education sheet", sheet)


def days_of_drug(days: float | None, dates: PumpDates) -> str:
    """Days of drug left (d) for a table: `display.format_days_of_drug`, "after end of service"
    where the reservoir has no empty date because the pump stops first (as `refill plan` reads
    it, `cli._refill.event_moment`), not a bare "-"."""
    return format_days_of_drug(days, stops_first=dates.eos_h is not None)


def print_risks(title: str, risks: Sequence[PatientRisk], *, flagged_only: bool = False) -> None:
    """The risk table (verdict, score, days of drug left), then each patient's reasons
    (``flagged_only``: only those that did not pass)."""
    print_table(
        title,
        ["patient", "verdict", "score", "days of drug left"],
        [[r.name, badge(r.verdict), r.score, days_of_drug(r.days_left, r.dates)] for r in risks],
    )
    for r in risks:
        console.print(f"[bold]{escape(r.name)}[/]")
        print_reasons([x for x in r.reasons if not flagged_only or x.verdict.value != "pass"])
