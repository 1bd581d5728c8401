"""Issue 17, h29 sweep of the trial files: a dose that starts after the trial has ended ran
without a word (a trial without that dose); a steady-state outcome without thresholds ended in a
NumPy traceback; a report that cannot be written part-way (``/proc/version``) leaked an OSError."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from itbtwin.errors import RecordError, TrialError
from itbtwin.scale import parse_trial

TRIAL = """
name = "h29"
seed = 3
duration_days = 2
[population]
size = 200
block_size = 128
[[regimen]]
infusion = "300 mcg/day"
[[regimen]]
bolus = "50 mcg"
start_h = 24
[[outcomes]]
kind = "quantiles"
outputs = ["csf_lumbar"]
[[outcomes]]
kind = "steady_state"
output = "csf_lumbar"
window_h = 24
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("start_h = 24", "start_h = 48", "regimen[1].start_h 48 h is at or after the end"),
        ("start_h = 24", "start_h = 100000", "regimen[1].start_h 100,000 h is at or after the end"),
    ],
)
def test_issue_17_a_dose_after_the_end_of_the_trial_is_refused(old, new, message):
    assert old in TRIAL
    with pytest.raises(TrialError) as caught:
        parse_trial(tomllib.loads(TRIAL.replace(old, new)), "trial.toml")
    assert message in str(caught.value)


def test_issue_17_a_dose_within_and_a_window_as_long_as_the_trial_are_read():
    trial = parse_trial(tomllib.loads(TRIAL.replace("window_h = 24", "window_h = 48")))
    assert trial.regimen[1].start_h == 24 and trial.end_h == 48


def test_issue_17_a_steady_state_without_thresholds_is_reported(cli, tmp_path: Path):
    path = tmp_path / "trial.toml"
    path.write_text(TRIAL, encoding="utf-8")
    result = cli("trial", "run", str(path), "--json")
    assert result.exit_code == 0, result.output
    steady = json.loads(result.output)["outcomes"][1]
    assert steady["kind"] == "steady_state" and steady["share_above"] == {}
    assert 0 < steady["quantiles_ng_ml"]["0.5"] < 10_000  # ng/mL of 300 mcg/day, no threshold


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="Linux /proc")
def test_issue_17_a_report_whose_write_fails_is_one_line(cli, tmp_path: Path):
    path = tmp_path / "trial.toml"
    path.write_text(TRIAL, encoding="utf-8")
    result = cli("trial", "run", str(path), "--report", "/proc/version")
    assert isinstance(result.exception, RecordError), result.output
    assert "cannot write '/proc/version'" in str(result.exception)
    assert "OSError" not in result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("seed = 3", 'seed = "3"', "seed: Input should be a valid integer"),
        ("size = 200", 'size = "200"', "population.size: Input should be a valid integer"),
        ("start_h = 24", 'start_h = "24"', "regimen.1.start_h: Input should be a valid number"),
    ],
)
def test_issue_17_a_number_written_as_text_in_a_trial_is_refused(old, new, message):
    """pydantic converted "3" to 3 without a word; a trial file is read strictly."""
    assert old in TRIAL
    with pytest.raises(TrialError) as caught:
        parse_trial(tomllib.loads(TRIAL.replace(old, new)), "trial.toml")
    assert message in str(caught.value)
