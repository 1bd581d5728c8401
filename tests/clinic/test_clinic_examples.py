"""The decision-support examples run as their headers say."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_forecast_example_proposes_a_dose_with_an_interval_and_a_first_step(cli) -> None:
    result = cli(
        "forecast",
        str(EXAMPLES / "forecast" / "titration_history.toml"),
        "--target-mas",
        "1+",
        "--origin",
        "spinal",
        "--json",
    )
    assert result.exit_code == 0, result.output
    payload = json.dumps(json.loads(result.stdout))
    assert "forecast_dose" in payload and "forecast_needs_steps" in payload


def test_refill_plan_of_the_missed_refill_example_finds_the_day_36_alarm(cli) -> None:
    result = cli("refill", "plan", str(EXAMPLES / "missed_refill.toml"), "--json")
    assert result.exit_code == 0, result.output
    assert "2024-02-13" in result.stdout  # start 2024-01-08 09:00 + 36.0 days
