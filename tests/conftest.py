"""Shared fixtures: the typical adult and a CLI runner with every command registered."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import itbtwin.cli
from itbtwin.patient import BaclofenPk


@pytest.fixture(scope="session")
def adult() -> BaclofenPk:
    return BaclofenPk.adult()


@pytest.fixture(scope="session")
def cli():
    """Invoke the CLI in-process: ``cli("pk", "--bolus", "50 mcg")``."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(itbtwin.cli.app, list(args))

    return invoke
