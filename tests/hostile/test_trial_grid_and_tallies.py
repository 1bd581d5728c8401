"""Issue 17, h36 sweep of trial files: ``output_step_h = 0.0001`` over 3 days asked NumPy for a
31 GB quantiles tally and ended in a `MemoryError` traceback; an output step of 1000 h in a
3-day trial was run; ``thresholds_ng_ml = ["200"]`` was converted to 200."""

from __future__ import annotations

import tomllib

import pytest

from itbtwin.errors import TrialError
from itbtwin.scale import parse_trial

TRIAL = """
name = "h36"
seed = 3
duration_days = 3
output_step_h = 1.0
[population]
size = 100
[[regimen]]
infusion = "500 mcg/day"
[[outcomes]]
kind = "quantiles"
outputs = ["csf_lumbar", "csf_cisternal", "plasma"]
[[outcomes]]
kind = "steady_state"
output = "csf_lumbar"
thresholds_ng_ml = [200, 300]
"""


def _trial(old: str, new: str):
    assert old in TRIAL
    return parse_trial(tomllib.loads(TRIAL.replace(old, new)), "t.toml")


def test_issue_17_a_quantiles_tally_larger_than_a_gib_is_refused_before_the_run():
    """3 outputs × 720,001 times × 1,922 bins × 8 bytes = 30.9 GiB."""
    with pytest.raises(TrialError) as refused:
        _trial("output_step_h = 1.0", "output_step_h = 0.0001")
    assert str(refused.value) == (
        "t.toml: outcomes[0] (quantiles) would count 30.9 GiB over 720,001 output times; at most "
        "1 GiB: use a larger output_step_h or every_h, or fewer outputs"
    )


def test_issue_17_an_hourly_year_of_quantiles_fits():
    """3 × 8,761 × 1,922 × 8 bytes = 404 MB, under the 1 GiB bound."""
    trial = _trial("duration_days = 3", "duration_days = 365")
    assert trial.outcomes[0].tally_bytes(trial.times_h()) == 3 * 8761 * 1922 * 8


def test_issue_17_an_output_step_longer_than_the_trial_is_refused():
    with pytest.raises(TrialError) as refused:
        _trial("output_step_h = 1.0", "output_step_h = 1000.0")
    assert str(refused.value) == (
        "t.toml: duration_days and output_step_h: the output step (1000 h) is longer than the "
        "trial (72 h): give a smaller output_step_h"
    )


def test_issue_17_an_outcome_number_written_as_text_is_refused():
    with pytest.raises(TrialError) as refused:
        _trial("thresholds_ng_ml = [200, 300]", 'thresholds_ng_ml = ["200", 300]')
    assert "thresholds_ng_ml" in str(refused.value)
    assert "Input should be a valid number" in str(refused.value)
