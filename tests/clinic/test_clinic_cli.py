"""`itbtwin screen` and `itbtwin titrate` end to end, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "screening" / "responder_at_75.toml"


def test_screen_example_is_eligible_at_75_mcg_with_predictions(cli) -> None:
    result = cli("screen", str(EXAMPLE), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["status"] == "eligible" and payload["effective_dose_mcg"] == 75
    predicted = [b["predicted"] for b in payload["boluses"]]
    # The model's typical patient responds more to 75 than to 50 mcg.
    assert predicted[1]["effect_duration_h"] > predicted[0]["effect_duration_h"]
    assert all(0.5 <= p["onset_h"] <= 1.0 for p in predicted)


def test_screen_without_a_file_gives_the_first_dose(cli) -> None:
    result = cli("screen", "--small", "--json")
    assert json.loads(result.stdout)["next_dose_mcg"] == 25


def test_screen_file_errors_name_the_bolus(cli, tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[bolus]]\ndose = "50"\nbaseline_mas = "3"\nbest_mas = "2"\n')
    result = cli("screen", str(bad))
    assert result.exit_code != 0 and "bolus 1" in str(result.exception)


def test_titrate_starts_at_twice_the_bolus_and_simulates_the_course(cli) -> None:
    result = cli(
        "titrate",
        "--origin",
        "spinal",
        "--bolus",
        "75 mcg",
        "--effect-duration",
        "6 h",
        "--target",
        "300 mcg/day",
        "--baseline-mas",
        "3",
        "--json",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["start_mcg_per_day"] == 150
    course = payload["course"]
    # CSF at 24 h of each day follows the dose: rate / 30 mL/h (steady state within a day).
    last = course[-1]
    assert last["csf_lumbar_ng_ml"] == pytest.approx(300 / 24 / 30 * 1000, rel=0.01)
    grades = ["0", "1", "1+", "2", "3", "4"]
    assert grades.index(last["mas_grade"]) <= grades.index(course[0]["mas_grade"])


def test_titrate_check_blocks_a_step_beyond_the_limit_with_exit_1(cli) -> None:
    result = cli(
        "titrate", "--origin", "cerebral", "--current", "200 mcg/day", "--proposed", "240 mcg/day"
    )
    assert result.exit_code == 1 and "step_too_large" in result.output


def test_titrate_refuses_a_daily_dose_in_mcg_per_litre(cli) -> None:
    result = cli("titrate", "--origin", "spinal", "--start", "100 mcg/day", "--target", "300 mcg/L")
    assert result.exit_code != 0 and "typo" in str(result.exception)
