"""A records CLI bound to a temporary database (SQLite, and PostgreSQL when it is configured),
and a small clinic made through the CLI itself: P001, spinal, with pump NGP001."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import Any

import pytest
import typer.main
import typer.testing
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.cli._lazy import load_all

IMPLANT_AT = "2026-11-02 10:00"
"""The implant of NGP001: 20 mL of 500 mcg/mL at 250 mcg/day (0.5 mL/day)."""

TABLES = {
    "patient": store.Patient,
    "pump": store.Pump,
    "revision": store.Revision,
    "program": store.ProgramVersion,
    "refill": store.RefillRecord,
    "assessment": store.Assessment,
    "event": store.EventRecord,
    "audit": store.AuditEntry,
}

IMPLANT = (
    "pump implant P001 --device synchromed2-20 --serial NGP001 --time-zone Europe/London "
    '--catheter 8709SC --catheter-length "50 cm" --tip-level T10 --fill "20 mL" '
    '--concentration "500 mcg/mL" --product Lioresal --lot L1 --daily-dose "250 mcg/day" '
    f'--at "{IMPLANT_AT}" --by dr.smith'
)

FLEX = """
[program]
mode = "flex"
[[program.step]]
start = "00:00"
duration = "10 h"
rate = "200 mcg/day"
[[program.step]]
start = "10:00"
duration = "14 h"
rate = "300 mcg/day"
"""
"""A flex program whose mean daily dose is (10 x 200 + 14 x 300) / 24 = 258.33 mcg/day."""


class Records:
    """Run `itbtwin` in-process on one database, a command line as shell words:
    ``run('patient add P002 --weight "30 kg" ...')``; ``data(...)`` adds --json and parses it."""

    def __init__(self, cli: Callable[..., Any], url: str) -> None:
        self.cli, self.url = cli, url

    def invoke(self, command: str, *more: str) -> Any:
        return self.cli(*shlex.split(command), *more, "--database", self.url)

    def run(self, command: str, *more: str) -> Any:
        """Invoke and require success (exit 0)."""
        result = self.invoke(command, *more)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def data(self, command: str, *more: str) -> Any:
        """Invoke with --json, require success and parse stdout."""
        return json.loads(self.run(command, *more, "--json").stdout)

    def counts(self) -> dict[str, int]:
        """Rows in every table, to show that a refused command changed nothing."""
        engine = store.open_engine(self.url)
        try:
            with store.transaction(engine) as session:
                return {
                    name: session.scalar(select(func.count()).select_from(table))
                    for name, table in TABLES.items()
                }
        finally:
            engine.dispose()

    def audit(self) -> list[dict[str, Any]]:
        return self.data("audit")["entries"]


_COMMANDS: dict[int, Any] = {}


def _built_once(app: typer.Typer) -> Any:
    """Typer rebuilds the Click command from every signature on each invoke (~0.3 s with 60
    commands); the records tests invoke hundreds of times, so build it once, with every command
    module loaded (built after a test that loaded `refill plan` alone, it lacked
    `refill record`)."""
    if id(app) not in _COMMANDS:
        load_all()
        _COMMANDS[id(app)] = typer.main.get_command(app)
    return _COMMANDS[id(app)]


@pytest.fixture
def records(cli, database_url, monkeypatch) -> Records:
    """The CLI on an empty database of each kind."""
    monkeypatch.setattr(typer.testing, "_get_command", _built_once)
    records = Records(cli, database_url)
    records.run("db upgrade")  # a command that records never creates the database (issue 17)
    return records


@pytest.fixture
def clinic(records) -> Records:
    """P001 (spinal, T4, born 1980) with NGP001 implanted on 2 Nov 2026 10:00."""
    records.run(
        'patient add P001 --birth-date 1980-05-01 --weight "75 kg" --origin spinal '
        "--diagnosis SCI --injury-level T4 --by nurse.jones"
    )
    records.run(IMPLANT)
    return records


@pytest.fixture
def two_pumps(clinic):
    """P002 (cerebral): 20 mL of 500 mcg/mL at 100 mcg/day (0.2 mL/day) from 10 Nov 10:00."""
    clinic.run(
        'patient add P002 --birth-date 1990-03-04 --weight "60 kg" --origin cerebral '
        "--communication-difficulty"
    )
    clinic.run(
        "pump implant P002 --device synchromed2-20 --serial NGP002 --time-zone Europe/London "
        '--catheter 8709SC --catheter-length "40 cm" --fill "20 mL" --concentration "500 mcg/mL" '
        '--daily-dose "100 mcg/day" --at "2026-11-10 10:00"'
    )
    return clinic
