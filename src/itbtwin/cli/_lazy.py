"""Commands loaded when they run, so `itbtwin --help` and each command start quickly.

Each command module imports what it needs (NumPy, SciPy, numba, SQLAlchemy, matplotlib...) and
registers itself on `app` when imported. `itbtwin --help` needs only the names and one-line helps,
kept here; a command's module is imported when that command is invoked (issue 13: `--help` took
4-5 s because every module was imported at start-up). `tests/cli/test_startup.py` checks that this
table and the commands the modules register agree, help text included.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer.main
from typer.core import TyperCommand, TyperGroup

from itbtwin._lazy_exports import imports_without_gc

if TYPE_CHECKING:  # typer carries its own click; importing the package would cost ~30 ms
    import click


@dataclass(frozen=True)
class LazyCommand:
    """A top-level command: its one-line help and the modules that register it and its parts."""

    help: str
    modules: tuple[str, ...]


COMMANDS: dict[str, LazyCommand] = {
    "assessment": LazyCommand("Corrections of recorded assessments.", ("_corrections",)),
    "assess": LazyCommand(
        "Record an assessment: MAS grades, Penn spasm scores and adverse effects.", ("_assess",)
    ),
    "audit": LazyCommand(
        "The audit trail, oldest first: every change made to the records, by whom and why.",
        ("_audit",),
    ),
    "check-program": LazyCommand(
        "Check a proposed program or refill: pass / warn / block with reasons, and a dry run.",
        ("_check_program",),
    ),
    "clinic": LazyCommand(
        "The clinic's settings (name, phone, hours) used by reports and education sheets.",
        ("_clinic",),
    ),
    "db": LazyCommand(
        "The clinic's database: create, upgrade, status, backup, restore, check.", ("_db",)
    ),
    "demo": LazyCommand(
        "Build a demo clinic, plan its next two weeks, rank the risks and write the clinic report.",
        ("_demo",),
    ),
    "export": LazyCommand(
        "Write the whole clinic as JSON (FILE), a NONMEM-style CSV (--nonmem) or FHIR R4 (--fhir).",
        ("_exchange",),
    ),
    "forecast": LazyCommand(
        "Estimate the patient's EC50 × tolerance (Bayesian MAP) and forecast the dose to a target.",
        ("_forecast",),
    ),
    "import": LazyCommand(
        "Add an exported clinic (JSON) to the database: all of it, or nothing on any problem.",
        ("_exchange",),
    ),
    "patient": LazyCommand(
        "Patients: add, update, list, show, discharge.", ("_patient", "_corrections")
    ),
    "pk": LazyCommand(
        "Predict baclofen in CSF and plasma for a regimen (exact solution); "
        "--effect adds MAS/Penn.",
        ("_pk",),
    ),
    "population": LazyCommand(
        "Simulate maintenance doses (the dose reaching the response target) of virtual patients.",
        ("_population",),
    ),
    "program": LazyCommand(
        "Pump programs: every version kept, each one checked first.",
        ("_program", "_corrections"),
    ),
    "pump": LazyCommand("Implanted systems and their events.", ("_pump", "_corrections")),
    "refill": LazyCommand(
        "Refill planning: when each pump needs the clinic.",
        ("_refill", "_refill_record", "_corrections"),
    ),
    "report": LazyCommand(
        "Reports: one self-contained HTML file (and PDF) with plots, tables and sources.",
        ("_report", "_report_records"),
    ),
    "risk": LazyCommand(
        "Rank patients by withdrawal risk: label risk factors plus days left, alarms, ERI, faults.",
        ("_risk",),
    ),
    "schedule": LazyCommand(
        "Refill windows of every implanted pump (most urgent first) and the patients at risk.",
        ("_schedule",),
    ),
    "screen": LazyCommand(
        "Decide the next screening step (label ladder 50 → 75 → 100 mcg, ≥ 24 h apart).",
        ("_screen",),
    ),
    "serve": LazyCommand(
        "Open the clinic's web workspace: dashboard, patients, program changes, refills, audit.",
        ("_serve",),
    ),
    "simulate": LazyCommand(
        "Run a pump-and-patient scenario over its span: delivery, alarms, refills, faults, PK.",
        ("_simulate",),
    ),
    "titrate": LazyCommand(
        "Plan titration from the screening result (saulino2016-dosing) or check one dose change.",
        ("_titrate",),
    ),
    "trial": LazyCommand("Virtual trials: populations in chunks, locally or on Dask.", ("_trial",)),
    "user": LazyCommand("Users of the web workspace (itbtwin serve).", ("_user",)),
    "validate": LazyCommand(
        "Check the model against published facts: source, published value, model value, tolerance.",
        ("_validate",),
    ),
}


def load_all() -> None:
    """Import every command module (tests and the docs check use the whole command tree)."""
    for command in COMMANDS.values():
        for module in command.modules:
            importlib.import_module(f"itbtwin.cli.{module}")


def _built(name: str) -> click.Command | None:
    """The click command (or group) `name` registered on the app, built alone: building the whole
    app would read the signature of every command the imported modules register (`patient`
    imports the corrections module, which registers on five groups)."""
    from itbtwin.cli._app import app

    settings = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
    }
    for group in app.registered_groups:
        if group.name == name:
            return typer.main.get_group_from_info(
                group, suggest_commands=app.suggest_commands, **settings
            )
    for command in app.registered_commands:
        named = command.name or typer.main.get_command_name(
            getattr(command.callback, "__name__", "")
        )
        if named == name:
            return typer.main.get_command_from_info(command, **settings)
    return None


class LazyGroup(TyperGroup):
    """The root group: lists commands from `COMMANDS` and imports a command's module on use."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        lazy = COMMANDS.get(cmd_name)
        if lazy is None:
            return None
        if self._listing:  # the help page needs the name and the line, not the command
            return TyperCommand(cmd_name, help=lazy.help, short_help=lazy.help)
        with imports_without_gc():
            for module in lazy.modules:
                importlib.import_module(f"itbtwin.cli.{module}")
            command = _built(cmd_name)
        if command is not None:
            self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list:
        self._listing = True  # command names complete from the table, without imports
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._listing = False
