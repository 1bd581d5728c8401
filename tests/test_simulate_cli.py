"""`itbtwin simulate` prints the summary with every nested value under its own label."""

from __future__ import annotations

import json
from pathlib import Path

from itbtwin.display import format_elapsed_h

EXAMPLE = Path(__file__).parents[1] / "examples" / "missed_refill.toml"


def test_summary_labels_steady_state_apart_from_alarm_days(cli) -> None:
    result = cli("simulate", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "First low reservoir (day)" in result.output
    assert "Steady state, lumbar CSF (ng/mL)" in result.output
    assert "First lumbar CSF" not in result.output


def test_issue_12_the_summary_reads_for_a_clinician(cli) -> None:
    text = cli("simulate", str(EXAMPLE)).stdout
    hours = json.loads(cli("simulate", str(EXAMPLE), "--json").stdout)["summary"]["withdrawal_h"]
    assert hours > 48  # 4 days without drug
    shown = format_elapsed_h(hours)
    assert shown.endswith(" days")
    assert f"Time with a withdrawal signal │ {shown}" in " ".join(text.split())
    assert "Delivered (mcg) │ 11500" in " ".join(text.split())  # not 1.15e+04
    assert "e+0" not in text and "_" not in text.split("Event log")[0]


def test_simulate_json_has_the_response_columns(cli) -> None:
    payload = json.loads(cli("simulate", str(EXAMPLE), "--json").stdout)
    size = len(payload["time_h"])
    assert {len(payload[k]) for k in ("mas_grade", "penn_frequency", "reservoir_ml")} == {size}
    assert set(payload["mas_grade"]) <= {"0", "1", "1+", "2", "3", "4"}
