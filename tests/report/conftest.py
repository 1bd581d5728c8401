"""Shared fixtures of the report tests: the missed-refill twin and its report, built once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from itbtwin.report import Document, scenario_report
from itbtwin.sim import Scenario, TwinOutcome, load_scenario, run_twin

EXAMPLES = Path(__file__).parents[2] / "examples"
MISSED_REFILL = EXAMPLES / "missed_refill.toml"
GENERATED = datetime(2024, 1, 8, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def missed_refill() -> tuple[Scenario, TwinOutcome]:
    scenario = load_scenario(MISSED_REFILL)
    return scenario, run_twin(scenario)


@pytest.fixture(scope="session")
def missed_refill_report(missed_refill) -> Document:
    return scenario_report(*missed_refill, generated=GENERATED)
