"""docs/records.md documents every records command and every one of its options."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

import itbtwin.cli
from itbtwin.cli._lazy import load_all

DOCS = (Path(__file__).parents[2] / "docs" / "records.md").read_text()
COMMANDS = [
    "patient add",
    "patient update",
    "patient list",
    "patient show",
    "pump implant",
    "pump revise",
    "pump show",
    "pump event",
    "program set",
    "refill record",
    "assess",
    "schedule",
    "audit",
    "refill amend",
    "refill void",
    "assessment amend",
    "assessment void",
    "pump void-event",
    "program void",
    "patient discharge",
    "pump explant",
    "clinic set",
    "clinic show",
]


load_all()
ROOT = typer.main.get_command(itbtwin.cli.app)


def _command(path: str):  # type: ignore[no-untyped-def]
    command = ROOT
    for name in path.split():
        command = command.commands[name]  # type: ignore[attr-defined]
    return command


@pytest.mark.parametrize("path", COMMANDS)
def test_docs_show_the_command_and_all_its_options(path):
    assert f"`itbtwin {path}" in DOCS
    for param in _command(path).params:
        for option in param.opts:
            if option.startswith("--") and option not in ("--help", "--database", "--json"):
                assert option in DOCS, f"{path} {option}"


def test_the_example_session_upgrades_to_the_newest_migration():
    """The schema the example's `db upgrade` and `db status` print is the newest migration
    (`store.head_revision`): a new migration updates the example."""
    from itbtwin import store

    newest = store.head_revision()
    assert f"schema {newest} (empty → {newest})" in DOCS
    assert f"schema {newest} (current; newest {newest})" in DOCS
