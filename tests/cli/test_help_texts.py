"""A newcomer's walk through `--help`: every command says what it does and every option and
argument says what it takes (`refill amend --withdrawn` and four more showed a bare `<str>`)."""

from __future__ import annotations

import re

import pytest
import typer.main

import itbtwin.cli
from itbtwin.cli._lazy import load_all


def _commands() -> dict[str, object]:
    """Every command that runs (not the groups), by its path: "refill amend" → the command."""
    load_all()
    found: dict[str, object] = {}

    def walk(command, path: str) -> None:  # type: ignore[no-untyped-def]
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())
        if not hasattr(command, "commands"):
            found[path] = command

    walk(typer.main.get_command(itbtwin.cli.app), "")
    return found


COMMANDS = _commands()


def test_the_walk_finds_every_command():
    assert {"pk", "refill amend", "refill record", "db upgrade", "user add"} <= set(COMMANDS)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_option_and_argument_says_what_it_takes(path):
    command = COMMANDS[path]
    assert (command.help or "").strip(), f"itbtwin {path} has no help"  # type: ignore[attr-defined]
    bare = [p.name for p in command.params if not (p.help or "").strip()]  # type: ignore[attr-defined]
    assert bare == [], f"itbtwin {path}: no help for {bare}"


@pytest.mark.parametrize("path", ["", "export", "check-program", "refill amend"])
def test_a_flag_reads_as_a_flag_in_help_and_an_option_shows_what_it_takes(cli, path):
    shown = cli(*path.split(), "--help")
    assert shown.exit_code == 0, shown.output
    assert "<bool>" not in shown.output  # `--json <bool>` read as `--json true`
    assert re.search(r"│\s+--help\s+Show this message", shown.output), shown.output
    if path:
        assert re.search(r"--database\s+<str>\s+Database URL", shown.output), shown.output


def test_every_command_asked_about_a_moment_takes_as_of_and_at_alike():
    """`schedule --at` and `report patient --at` were refused while `risk`, `refill plan` and
    `check-program` took both spellings for the same clinic time."""
    asked = {
        path: {o for p in COMMANDS[path].params for o in p.opts}  # type: ignore[attr-defined]
        for path in COMMANDS
        if any("--as-of" in p.opts for p in COMMANDS[path].params)  # type: ignore[attr-defined]
    }
    assert {"schedule", "risk", "report patient", "report clinic", "refill plan"} <= set(asked)
    assert [path for path, options in asked.items() if "--at" not in options] == []
