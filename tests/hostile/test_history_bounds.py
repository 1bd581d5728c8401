"""Issue 17 sweep of the screening, dose-history and trial examples: a time or an effect 1e300 hours
long was read as a response (screen said "eligible"), a dose history 1e300 days long was
forecast from, and 1e300 mcg/day ended in a NaN; each is now one line naming the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.cli._forecast import load_history
from itbtwin.cli._screen import load_screening
from itbtwin.errors import RegimenError, TrialError
from itbtwin.scale._spec import load_trial

EXAMPLES = Path(__file__).parents[2] / "examples"


def _changed(tmp_path: Path, example: str, old: str, new: str) -> Path:
    text = (EXAMPLES / example).read_text()
    assert old in text
    path = tmp_path / "changed.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('time = "24 h"', 'time = "1e300 h"', r"bolus 2: time 4\.167e\+298 days is beyond 3,652"),
        ('effect_duration = "6 h"', 'effect_duration = "1e300 h"', "bolus 2: effect_duration"),
    ],
)
def test_issue_17_a_screening_beyond_ten_years_is_refused(tmp_path, old, new, message):
    path = _changed(tmp_path, "screening/responder_at_75.toml", old, new)
    with pytest.raises(RegimenError, match=message):
        load_screening(path, False)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('at = "12 day"', 'at = "1e300 day"', r"a \[\[dose\]\] at 1e\+300 days is beyond 3,652"),
        (
            'daily_dose = "200 mcg/day"',
            'daily_dose = "1e300 mcg/day"',
            r"more than any catalogue pump can give \(57,600 mcg/day\)",
        ),
    ],
)
def test_issue_17_a_dose_history_beyond_what_a_pump_gives_is_refused(tmp_path, old, new, message):
    path = _changed(tmp_path, "forecast/titration_history.toml", old, new)
    with pytest.raises(RegimenError, match=message):
        load_history(path)


def test_issue_17_the_examples_themselves_still_load():
    assert load_history(EXAMPLES / "forecast/titration_history.toml").daily_mcg == (
        100.0,
        125.0,
        160.0,
        200.0,
    )
    _, boluses = load_screening(EXAMPLES / "screening/responder_at_75.toml", False)
    assert [b.time_h for b in boluses] == [0.0, 24.0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('infusion = "500 mcg/day"', 'infusion = "1e300 mcg/day"', "an infusion of 1e\\+300"),
        ('bolus = "50 mcg"', 'bolus = "1e300 mcg"', "a bolus of 1e\\+300 mcg"),
    ],
)
def test_issue_17_a_trial_dose_no_pump_gives_is_refused(tmp_path, old, new, message):
    """1e300 mcg/day ran, and filled every quantile with the histogram's top bin."""
    path = _changed(tmp_path, "trials/itb_500_steady_state.toml", old, new)
    with pytest.raises(TrialError, match=message + ".*more than any catalogue pump"):
        load_trial(path)
