"""Issue 17, h29 sweep of the scenario files: a value of the wrong type is named in a user's
words (not "(<class 'int'>, <class 'float'>)"); a start the clocks skipped or repeated, before
1988 or in 9999 (an OverflowError at the clock's end), a catheter of 10 km and a refill of
0.0001 mL were simulated without a word."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest
import tomli_w

from itbtwin.errors import ScenarioError
from itbtwin.sim import load_scenario

EXAMPLE = Path(__file__).parents[2] / "examples" / "missed_refill.toml"


def _scenario(tmp_path: Path, table: str, key: str, value: object) -> Path:
    document = tomllib.loads(EXAMPLE.read_text())
    target = document[table][0] if isinstance(document[table], list) else document[table]
    target[key] = value
    path = tmp_path / "scenario.toml"
    path.write_text(tomli_w.dumps(document))
    return path


@pytest.mark.parametrize(
    ("value", "shown"),
    [("50", "'50'"), ([[50]], "[[50]]"), (True, "true")],
)
def test_issue_17_a_value_of_the_wrong_type_is_named_in_words(tmp_path, value, shown):
    path = _scenario(tmp_path, "catheter", "length_cm", value)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert f"catheter.length_cm (line 31): expected a number, got {shown}" in str(caught.value)
    assert "class" not in str(caught.value)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2024-03-31T01:30:00", "did not happen in Europe/London"),
        ("2024-10-27T01:30:00", "happened twice in Europe/London (the clocks went back)"),
        ("1800-01-08T09:00:00", "a start in 1800 is outside 1988-2100"),
        ("9999-12-31T09:00:00", "a start in 9999 is outside 1988-2100"),
    ],
)
def test_issue_17_a_scenario_start_that_no_pump_clock_had_is_refused(tmp_path, start, message):
    path = _scenario(tmp_path, "scenario", "start", datetime.fromisoformat(start))
    with pytest.raises(ScenarioError, match=r"scenario\.start") as caught:
        load_scenario(path)
    assert message in str(caught.value)


def test_issue_17_a_repeated_hour_with_its_offset_starts_the_scenario(tmp_path):
    start = datetime.fromisoformat("2024-10-27T01:30:00+00:00")  # the second 01:30 in London
    scenario = load_scenario(_scenario(tmp_path, "scenario", "start", start))
    assert scenario.document["scenario"]["start"] == datetime(2024, 10, 27, 1, 30)


@pytest.mark.parametrize(
    ("table", "key", "value", "message"),
    [
        ("catheter", "length_cm", 1_000_000, "a catheter length of 1000000 cm is impossible"),
        ("catheter", "length_cm", 0.5, "a catheter length of 0.5 cm is impossible"),
        ("refill", "volume", "0.0001 mL", "a refill of 0.0001 mL is less than a syringe measures"),
    ],
)
def test_issue_17_a_catheter_or_refill_no_clinic_could_give_is_refused(
    tmp_path, table, key, value, message
):
    with pytest.raises(ScenarioError, match=rf"{table}(\[0\])?\.{key}") as caught:
        load_scenario(_scenario(tmp_path, table, key, value))
    assert message in str(caught.value)


def test_issue_17_a_reservoir_may_start_nearly_empty(tmp_path):
    """Only a refill has a smallest volume: a scenario may begin with a pump about to run dry."""
    scenario = load_scenario(_scenario(tmp_path, "reservoir", "volume", "0.05 mL"))
    assert scenario.therapy.fill.volume_ml == 0.05
