"""`itbtwin simulate` prints the summary with every nested value under its own label."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLE = Path(__file__).parents[1] / "examples" / "missed_refill.toml"


def test_summary_labels_steady_state_apart_from_alarm_days(cli) -> None:
    result = cli("simulate", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "first day of low_reservoir" in result.output
    assert "steady state csf_lumbar (ng/mL)" in result.output
    assert "first day of csf_lumbar" not in result.output


def test_simulate_json_has_the_response_columns(cli) -> None:
    payload = json.loads(cli("simulate", str(EXAMPLE), "--json").stdout)
    size = len(payload["time_h"])
    assert {len(payload[k]) for k in ("mas_grade", "penn_frequency", "reservoir_ml")} == {size}
    assert set(payload["mas_grade"]) <= {"0", "1", "1+", "2", "3", "4"}
