"""The dry run counts the response model's signals from now (issue 12 pt 2, issue 14 pt 2):
from the scenario's hour 0 they are exactly the twin's own summary, and a later start only drops
the hours before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.clinic._dry_run import signals_from
from itbtwin.sim import load_scenario, run_twin

EXAMPLES = Path(__file__).parents[2] / "examples"
KEYS = ("withdrawal_h", "first_withdrawal_day", "overdose_h", "first_overdose_day")


@pytest.mark.parametrize("name", ["missed_refill", "concentration_change_no_bridge"])
def test_signals_from_hour_0_are_the_twins_summary(name):
    outcome = run_twin(load_scenario(EXAMPLES / f"{name}.toml"))
    found = signals_from(outcome, 0.0)
    for key in (*KEYS, "max_overdose_level", "systemic_overdose_h"):
        assert found[key] == outcome.summary[key], key


def test_signals_from_a_later_hour_drop_the_hours_before_it():
    """The missed refill's withdrawal, read from its onset on: the same hours, onset day 0."""
    outcome = run_twin(load_scenario(EXAMPLES / "missed_refill.toml"))
    whole = outcome.summary
    assert whole["withdrawal_h"] > 0
    onset_h = whole["first_withdrawal_day"] * 24
    later = signals_from(outcome, onset_h)
    assert later["withdrawal_h"] == pytest.approx(whole["withdrawal_h"])
    assert later["first_withdrawal_day"] == 0.0
    after = signals_from(outcome, onset_h + 1.0)
    assert after["withdrawal_h"] == pytest.approx(whole["withdrawal_h"] - 1.0)
