"""`itbtwin program set`: a new program version for a pump, stored only after the safety check.

Exit status: 0 stored, 1 blocked by the safety check (nothing stored), 2 input that cannot be used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from itbtwin import store
from itbtwin.cli._app import app, console, err_console
from itbtwin.cli._output import print_json, print_reasons
from itbtwin.cli._store_args import At, By, Database, Json, actor, now, records, when
from itbtwin.clinic import Verdict
from itbtwin.display import badge, format_datetime
from itbtwin.errors import RecordError
from itbtwin.units import parse_quantity
from itbtwin.user_files import load_toml

if TYPE_CHECKING:
    from itbtwin.clinic import SafetyCheck

program_app = typer.Typer(
    help="Pump programs: every version kept, each one checked first.", no_args_is_help=True
)
app.add_typer(program_app, name="program")

DailyDose = Annotated[
    str | None,
    typer.Option(help='Simple continuous program, e.g. "300 mcg/day".', show_default=False),
]
ProgramFile = Annotated[
    Path | None,
    typer.Option(
        "--program",
        help="TOML file with one [program] table in the scenario format (flex, periodic...).",
        show_default=False,
    ),
]


def read_program_file(path: Path) -> dict[str, Any]:
    """The one program in a TOML file: a ``[program]`` table, a single ``[[program]]`` or the
    program's keys (``mode`` ...) at the top level. The time it starts is given by ``--at``."""
    from itbtwin.clinic import program_table

    data = load_toml(path, "program file", RecordError)
    return program_table(data, str(path), start="give the time with --at")


def program_document(
    daily_dose: str | None, program_file: Path | None, concentration: str | None = None
) -> dict[str, Any]:
    """The program in the scenario format, from ``--daily-dose`` (mcg/day) or ``--program``."""
    from itbtwin.clinic import entered_program

    if (daily_dose is None) == (program_file is None):
        raise RecordError("give the program: --daily-dose or --program FILE (one of them)")
    if program_file is not None:
        program: dict[str, Any] | float = read_program_file(program_file)
    else:
        program = parse_quantity(str(daily_dose), "daily_dose")
    told = None if concentration is None else parse_quantity(concentration, "concentration")
    return entered_program(program, told, where=str(program_file))


def show_check(check: SafetyCheck) -> None:
    """The verdict line (mcg/day before → after) and every reason."""
    overridden = check.override_reason is not None and check.verdict == Verdict.BLOCK
    console.print(
        f"{check.current_mcg:g} → {check.proposed_mcg:g} mcg/day: {badge(check.verdict)}"
        + (" (overridden)" if overridden else "")
    )
    print_reasons(list(check.reasons))


@program_app.command("set")
def set_program(
    serial: Annotated[str, typer.Argument(help="The pump's serial number.")],
    reason: Annotated[
        str, typer.Option(help="Why the program changes (also the reason for an --override).")
    ],
    daily_dose: DailyDose = None,
    program_file: ProgramFile = None,
    concentration: Annotated[
        str | None,
        typer.Option(
            help='Concentration told to the pump (default: the reservoir\'s), "500 mcg/mL".'
        ),
    ] = None,
    at: At = None,
    phase: Annotated[str, typer.Option(help="titration or maintenance.")] = "titration",
    bridge_bolus: Annotated[
        bool,
        typer.Option(
            "--bridge",
            "--bridge-bolus",
            help="A bridge bolus clears the old solution after this concentration change "
            "(stored with the version: old concentration, path volume, duration).",
        ),
    ] = False,
    override: Annotated[
        bool, typer.Option(help="Store despite a block; --reason is the override reason.")
    ] = False,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Check a new program against the current one, then store it as the pump's next version."""
    document = program_document(daily_dose, program_file, concentration)
    try:
        with records(database) as session:
            pump = store.find_pump(session, serial)
            version, check = store.set_program(
                session,
                actor(by),
                pump,
                document,
                effective_at=when(at, "--at", offset=True),
                now=now(),
                why=reason,
                phase=phase,
                bridge_bolus=bridge_bolus,
                override_reason=reason if override else None,
            )
            number, effective = version.version, version.effective_at
    except store.ProgramBlocked as blocked:
        if json:
            print_json({"serial": serial, "stored": False, "version": None} | _check(blocked.check))
        else:
            show_check(blocked.check)
        err_console.print(
            f"[bold red]blocked:[/] {escape(str(blocked))}. To send it anyway give --override "
            "with --reason",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    if json:
        stored = {"serial": serial, "stored": True, "version": number}
        print_json(stored | {"effective_at": effective.isoformat()} | _check(check))
        return
    show_check(check)
    console.print(
        f"stored as version {number} of pump {serial}, in effect from {format_datetime(effective)}",
        highlight=False,
    )


def _check(check: SafetyCheck) -> dict[str, object]:
    return {"check": check.as_dict()}
