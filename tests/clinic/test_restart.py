"""Issue 14, point 3: after an interruption decision support proposes a reduced restart dose
(label:overdosage, overdose1991, saulino2016-troubleshooting; fade τ 7 days, assumption).

Hand-computed: a typical adult controlled on 500 mcg/day has tolerance T = 3.62 (lumbar CSF
694 ng/mL over the 192 ng/mL a drug-naive patient needs); after 15 days without drug
T_left = 1 + 2.62 · exp(−15/7) = 1.31, so the restart dose is 500 × 1.31 / 3.62 ≈ 180.5 mcg/day.
"""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.clinic import ProgramChange, Verdict, check_program
from itbtwin.clinic._restart import restart_dose
from itbtwin.errors import RegimenError
from itbtwin.pump import Fill, Program, find_device

DAY = 24.0


def test_issue_14_restart_dose_after_15_days_keeps_the_need_ratio() -> None:
    plan = restart_dose(500, 15 * DAY)
    assert plan.tolerance == pytest.approx(3.62, abs=0.01)
    assert plan.tolerance_left == pytest.approx(1 + (plan.tolerance - 1) * math.exp(-15 / 7))
    assert plan.restart_mcg == pytest.approx(180.5, abs=0.05)
    assert plan.restart_mcg <= 500 * plan.tolerance_left / plan.tolerance  # rounded down
    assert plan.reason.verdict == Verdict.WARN and "180.53 mcg/day" in plan.reason.text


def test_a_one_day_interruption_may_resume_the_previous_dose() -> None:
    plan = restart_dose(500, 1 * DAY)
    assert plan.restart_mcg == 500 and plan.reason.verdict == Verdict.PASS


def _restart_change(proposed: float) -> ProgramChange:
    return ProgramChange(
        Program.continuous(500, 500),
        Program.continuous(proposed, 500),
        500,
        find_device("synchromed2-20"),
        phase="maintenance",
        refill=Fill(20, 500),
        reservoir_ml=0.0,
        empty_for_h=15 * DAY,
    )


def test_issue_14_check_program_warns_a_full_dose_restart_after_15_days_without_drug() -> None:
    check = check_program(_restart_change(500))
    restart = next(r for r in check.reasons if r.rule == "restart_dose")
    assert restart.verdict == Verdict.WARN and "restart at 180.53 mcg/day" in restart.text
    assert check.verdict == Verdict.WARN


def test_a_restart_at_the_reduced_dose_is_stated_as_such() -> None:
    check = check_program(_restart_change(180))
    restart = next(r for r in check.reasons if r.rule == "restart_dose")
    assert restart.verdict == Verdict.PASS and "at or below" in restart.text


def test_issue_14_titrate_plans_from_the_reduced_restart_dose_back_to_the_old_one() -> None:
    args = ["--origin", "spinal", "--current", "500 mcg/day", "--restart-after", "15 day"]
    result = CliRunner().invoke(app, ["titrate", *args, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    doses = [step["daily_mcg"] for step in out["plan"]]
    assert doses[0] == 180.53 and doses[-1] == 500  # +30% steps: 234.68, 305.08, 396.6
    assert doses[1:4] == [234.68, 305.08, 396.6]
    assert out["reasons"][0]["rule"] == "restart_dose"


def test_restart_after_needs_the_dose_before_the_interruption() -> None:
    result = CliRunner().invoke(app, ["titrate", "--origin", "spinal", "--restart-after", "2 day"])
    assert isinstance(result.exception, RegimenError)  # main() turns it into exit status 2
    assert "--current" in str(result.exception)
