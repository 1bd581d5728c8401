"""`titrate --target` at or below the start is refused, never planned as a hold (issue 17).

Titration raises the dose (saulino2016-dosing); the label lowers a dose for side effects by
10-20% at a time (label:titration, from memory, verify), each cut checked as a step. From
400 mcg/day that is 400 × 0.9 = 360 to 400 × 0.8 = 320 mcg/day. Before, `--start "400 mcg/day"
--target "300 mcg/day"` showed three days at 400 mcg/day without a word.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.clinic import titration_plan
from itbtwin.errors import RegimenError


def titrate(*args: str):
    return CliRunner().invoke(app, ["titrate", "--origin", "spinal", *args])


def refusal(*args: str) -> str:
    """The one-line refusal (a `RegimenError`, exit status 2 on the command line)."""
    result = titrate(*args)
    assert isinstance(result.exception, RegimenError), result.output
    return str(result.exception)


def test_issue_17_a_target_below_the_start_is_refused_with_the_labels_reduction():
    text = refusal("--start", "400 mcg/day", "--target", "300 mcg/day")
    assert "the target 300 mcg/day is below the starting 400 mcg/day" in text
    assert "10-20% at a time for side effects (360 to 320 mcg/day from 400)" in text


def test_a_target_equal_to_the_start_is_refused_as_nothing_to_titrate():
    assert "nothing to titrate" in refusal("--start", "400 mcg/day", "--target", "400 mcg/day")


def test_a_target_below_twice_the_bolus_is_refused_too():
    text = refusal("--bolus", "50 mcg", "--target", "80 mcg/day")  # starts at 100 mcg/day
    assert "below the starting 100 mcg/day" in text


def test_the_plan_refuses_a_downward_target_whoever_calls_it():
    with pytest.raises(RegimenError, match="only raises the dose"):
        titration_plan(400, 399.99, origin="spinal", age_years=40)


def test_a_target_equal_to_the_start_holds_it_in_the_plan():
    assert [s.daily_mcg for s in titration_plan(400, 400, origin="spinal", age_years=40)] == [400]


def test_without_a_target_the_course_at_the_start_is_still_shown():
    result = titrate("--start", "400 mcg/day")
    assert result.exit_code == 0, result.output
