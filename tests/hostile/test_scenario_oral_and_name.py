"""Issue 17, h36 sweep of scenario files: an `[[oral]]` dose with ``count = 1000000000`` filled
memory for a minute and ended in a `MemoryError`, 1,000,000 doses a nanohour apart ran for 30 s,
and doses after the end of the scenario were dropped without a word; a scenario named
``"x\\u001b[2Jy"`` cleared the terminal when its summary was printed, and an empty name was
taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.errors import ScenarioError
from itbtwin.sim import loads_scenario

EXAMPLE = (Path(__file__).parents[2] / "examples" / "missed_refill.toml").read_text("utf-8")


def _with_oral(every: str, count: int) -> str:
    return (
        EXAMPLE + f'\n[[oral]]\nat = "1 day"\ndose = "20 mg"\nevery = "{every}"\ncount = {count}\n'
    )


@pytest.mark.parametrize(
    ("every", "count", "message"),
    [
        ("8 h", 1_000_000_000, "repeated 1,000,000,000 times gives over a billion doses; at most "
         "100,000 in one regimen"),
        ("0.000000001 h", 1_000_000, "repeated 1,000,000 times gives 1,000,000 doses"),
        ("8 h", 1000, "the last of 1,000 doses, at 8,016 h, is after the end of the scenario "
         "(1200 h)"),
    ],
)  # fmt: skip
def test_issue_17_oral_doses_beyond_the_solver_or_the_scenario_are_refused(every, count, message):
    with pytest.raises(ScenarioError) as refused:
        loads_scenario(_with_oral(every, count))
    assert "oral[0].count" in str(refused.value)
    assert message in str(refused.value)


def test_issue_17_oral_doses_within_the_scenario_are_simulated():
    """150 doses 8 h apart from day 1: the last at 24 + 149 × 8 = 1,216 h > 1,200 h is refused,
    so 147 doses (the last at 1,192 h) are the most that fit."""
    scenario = loads_scenario(_with_oral("8 h", 147))
    (oral,) = scenario.orals
    assert oral.times_h[-1] == 24 + 146 * 8 == 1192


@pytest.mark.parametrize("name", ["", "  ", "x\\u001b[2Jy", "a\\nb"])
def test_issue_17_a_scenario_name_is_printable_text(name):
    text = EXAMPLE.replace('name = "Missed refill"', f'name = "{name}"')
    with pytest.raises(ScenarioError) as refused:
        loads_scenario(text)
    assert str(refused.value).endswith(
        "scenario.name (line 10): the name is empty or holds a control character (an escape code)"
    )


def test_issue_17_an_oral_dose_is_held_to_pk_s_bound():
    """`[[oral]] dose = "1e9 mg"` was simulated; `pk --oral` refuses it (at most 800 mg, ten
    times the label's oral maximum a day)."""
    text = EXAMPLE + '\n[[oral]]\nat = "1 day"\ndose = "1e9 mg"\n'
    with pytest.raises(ScenarioError) as refused:
        loads_scenario(text)
    assert "oral[0].dose" in str(refused.value)
    assert "an oral dose of over a billion mg is impossible: expected at most 800 mg" in str(
        refused.value
    )
