"""Issue 17, h36 sweep of scenario faults at odd times: two `missed_refill` faults on the same
refill ended in a `StopIteration` traceback, and two `pocket_fill` faults of 0.5 on one refill
were simulated as one (5,000 mcg into the pocket, not 10,000)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itbtwin.errors import ScenarioError
from itbtwin.sim import load_scenario

EXAMPLE = Path(__file__).parents[2] / "examples" / "missed_refill.toml"
MISSED = '[[fault]]\nkind = "missed_refill"\nat = "30 day"\ndelay = "14 day"\n'
POCKET = '[[fault]]\nkind = "pocket_fill"\nat = "30 day"\nfraction = 0.5\n'
OCCLUSION = '[[fault]]\nkind = "occlusion"\nat = "5 day"\nfraction = 0.5\n'


def _scenario(tmp_path: Path, faults: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert MISSED in text
    path = tmp_path / "faults.toml"
    path.write_text(text.replace(MISSED, faults), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        (MISSED * 2, "two missed_refill faults at 720 h: give one"),
        (POCKET * 2, "two pocket_fill faults at 720 h: give one"),
        (OCCLUSION * 2, "two occlusion faults at 120 h: give one"),
    ],
)
def test_issue_17_two_faults_of_one_kind_at_one_time_are_refused(tmp_path, faults, message):
    with pytest.raises(ScenarioError) as refused:
        load_scenario(_scenario(tmp_path, faults))
    assert str(refused.value).endswith(message)


def test_issue_17_a_missed_refill_and_its_pocket_fill_are_both_simulated(tmp_path, cli):
    """Different kinds on one refill: half of the late refill's 20 mL of 500 mcg/mL (10 mL,
    5,000 mcg) goes into the pocket."""
    result = cli("simulate", str(_scenario(tmp_path, MISSED + POCKET)), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ledger"]["pocket"] == [5000.0, 10.0]
