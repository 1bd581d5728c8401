"""What a clinic command's arguments name: scenario files (or folders), or pumps in the records.

An argument that is an existing path is a scenario file (a folder stands for its ``*.toml``
files); any other argument is a pump serial or a patient identifier looked up in the records
(`--database`, as every record command) and taken at `--as-of` (default now). Either way the
command gets the same scenario document and runs the same clinic functions on it; an argument
that is neither is a one-line error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from itbtwin.cli._store_args import records, when
from itbtwin.errors import RegimenError

if TYPE_CHECKING:  # the clinic, the twin and the records load when a command runs (issue 13)
    from itbtwin.clinic import PatientRisk, PumpDates, RiskRecord
    from itbtwin.sim import Scenario
    from itbtwin.store import RecordedPump

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        "--at",
        help='Clinic time for a recorded pump, "YYYY-MM-DD HH:MM" (default: now); in the hour '
        'repeated when the clocks go back, with its UTC offset: "2026-11-01 01:30-04:00".',
        show_default=False,
    ),
]


@dataclass(frozen=True)
class Subject:
    """One pump to run a clinic function on: its name (file stem or patient identifier), its
    scenario (a file: hour 0 is now; the records: hour 0 is the last fill), its pump dates
    (`now_h` = the question's moment), the clinic's time zone and what the records add."""

    name: str
    scenario: Scenario
    dates: PumpDates
    time_zone: str
    recorded: RecordedPump | None = None

    def risk(self, record: RiskRecord | None) -> PatientRisk:
        """The withdrawal risk: a file's with `record` (options or register), a recorded
        patient's as the schedule ranks it."""
        from itbtwin.clinic import assess_risk

        if self.recorded is not None:
            return self.recorded.risk
        return assess_risk(self.name, self.scenario, record, self.dates)


def _file(path: Path) -> Subject:
    from itbtwin.clinic import pump_dates
    from itbtwin.sim import load_scenario

    scenario = load_scenario(path)
    therapy = scenario.therapy
    return Subject(path.stem, scenario, pump_dates(therapy), therapy.clock.zones[0][1])


def scenario_files(paths: list[Path]) -> list[Path]:
    """The scenario files named, a folder standing for its *.toml files (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise RegimenError(f"no scenario files (*.toml) in {path}")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise RegimenError(f"no such scenario file or folder: {path}")
    return files


def is_file(argument: str) -> bool:
    """An existing path, or what can only be a path (a folder separator, a .toml ending),
    names scenario files; anything else a recorded pump (serial or patient identifier)."""
    return Path(argument).exists() or "/" in argument or argument.lower().endswith(".toml")


def subjects(
    arguments: list[str],
    *,
    as_of: str | None,
    database: str | None,
    every: bool = False,
    what: str = "--as-of",
) -> list[Subject]:
    """The subjects named, files first then recorded pumps, each in the order given.

    `every`: no argument at all means every implanted pump in the records; `what`: the option
    that gave `as_of`, for its error message.
    """
    paths = [Path(a) for a in arguments if is_file(a)]
    keys = [a for a in arguments if not is_file(a)]
    found = [_file(p) for p in scenario_files(paths)]
    if as_of is not None and not keys and not (every and not arguments):
        raise RegimenError(f"{what} is for a recorded pump; a scenario file's hour 0 is now")
    if keys or (every and not arguments):
        from itbtwin.store import recorded_pumps

        at = when(as_of, what, offset=True)  # checked in each pump's zone (issue 17)
        asked = None if as_of is None else what
        with records(database) as session:
            pumps = recorded_pumps(session, keys, at=at, asked=asked)
        found += [Subject(p.name, p.scenario, p.dates, p.time_zone, p) for p in pumps]
    return found


def one_subject(
    argument: str, *, as_of: str | None, database: str | None, what: str = "--as-of"
) -> Subject:
    """The one scenario file or recorded pump an argument names (a folder of one file too)."""
    (found, *more) = subjects([argument], as_of=as_of, database=database, what=what)
    if more:
        raise RegimenError(f"{argument} holds {len(more) + 1} scenarios: name one file")
    return found
