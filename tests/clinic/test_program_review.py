"""Issue 14, point 2: the dry run is the twin (bridge included in every date) and the verdict
reads it.

Hand-computed dates: 20 mL refill, 2 mL alarm, 0.31 mL path (0.2 mL SynchroMed II + 50 cm ×
0.0022 mL/cm). 500 → 2000 mcg/mL at 250 mcg/day with a bridge: 0.31 mL at the old 0.5 mL/day
(14.88 h), then 0.125 mL/day: alarm at 14.88 + (20 − 2 − 0.31) / 0.125 × 24 = 3411.36 h.
2000 → 500: 0.31 mL at the old 0.125 mL/day (59.52 h), then 0.5 mL/day: 59.52 + 849.12 = 908.64 h.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.clinic import ProgramChange, Verdict
from itbtwin.clinic._program_review import review_program
from itbtwin.pump import Fill, Program
from itbtwin.sim import load_scenario

EXAMPLES = Path(__file__).parents[2] / "examples"
BASE = load_scenario(EXAMPLES / "stable_sci_three_refills.toml")


def _review(c0: float, c1: float, d0: float, d1: float, *, bridge: bool, refill: bool = True):
    therapy = dataclasses.replace(
        BASE.therapy,
        fill=Fill(20, c0),
        programs=((0.0, Program.continuous(d0, c0)),),
        refills=(),
        boluses=(),
    )
    change = ProgramChange(
        Program.continuous(d0, c0),
        Program.continuous(d1, c1),
        c0,
        therapy.device,
        refill=Fill(20, c1) if refill else None,
        bridge_bolus=bridge,
        phase="maintenance",
    )
    return review_program(dataclasses.replace(BASE, therapy=therapy), change)


@pytest.mark.parametrize(
    ("c0", "c1", "alarm_h", "shown"),
    [
        (500.0, 2000.0, 3411.36, "at the old 0.5 mL/day (250 mcg/day) for 14.9 h"),
        (2000.0, 500.0, 908.64, "at the old 0.125 mL/day (250 mcg/day) for 2.5 days"),  # 2.48 d
    ],
)
def test_issue_14_a_bridged_concentration_change_passes_and_its_dates_count_the_bridge(
    c0, c1, alarm_h, shown
) -> None:
    check, run = _review(c0, c1, 250, 250, bridge=True)
    assert check.verdict == Verdict.PASS
    bridge = next(r for r in check.reasons if r.rule == "bridge_bolus")
    assert "0.31 mL" in bridge.text and shown in bridge.text
    assert run.proposed_signals["overdose_h"] == 0 and run.proposed_signals["withdrawal_h"] == 0
    assert run.proposed_dates.low_reservoir_h == pytest.approx(alarm_h, abs=1e-6)
    # CSF steady state R/CL is unchanged through the switch (the same 250 mcg/day throughout)
    csf = [row[3] for row in run.rows]
    assert max(csf) == pytest.approx(min(csf), rel=1e-6)


def test_issue_14_an_unbridged_2000_to_500_change_warns_of_the_overdose_its_dry_run_shows() -> None:
    check, _ = _review(2000, 500, 250, 250, bridge=False)
    overdose = next(r for r in check.reasons if r.rule == "dry_run_overdose")
    assert overdose.verdict == Verdict.WARN
    # hours from the issue-14 effect-site link (docs/response.md §2; 24 h with one compartment)
    assert "level 1" in overdose.text and "20 h" in overdose.text
    assert check.verdict == Verdict.BLOCK  # the missing bridge still blocks


def test_issue_14_a_large_cut_warns_with_the_withdrawal_its_dry_run_predicts() -> None:
    check, run = _review(500, 500, 400, 200, bridge=False, refill=False)
    assert check.verdict == Verdict.WARN
    # 56 h with the issue-14 effect-site link (docs/response.md §2; 47 h with one compartment)
    assert run.proposed_signals["withdrawal_h"] == pytest.approx(56.0)
    cut = next(r for r in check.reasons if r.rule == "large_decrease")
    assert "50% cut" in cut.text and "withdrawal for 2.3 days" in cut.text  # days past 48 h
    assert "dry_run_withdrawal" in check.rules


def test_a_cut_within_the_label_guidance_and_no_signal_passes() -> None:
    check, _ = _review(500, 500, 400, 360, bridge=False, refill=False)  # −10%
    assert check.verdict == Verdict.PASS
    assert not {"large_decrease", "dry_run_withdrawal"} & set(check.rules)


def test_issue_14_check_program_cli_warns_of_a_halving_with_its_withdrawal() -> None:
    scenario = str(EXAMPLES / "stable_sci_three_refills.toml")
    result = CliRunner().invoke(
        app, ["check-program", scenario, "--daily-dose", "125 mcg/day", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["verdict"] == "warn"
    rules = {r["rule"] for r in out["reasons"]}
    assert {"large_decrease", "dry_run_withdrawal"} <= rules
    assert out["dry_run"]["proposed_signals"]["withdrawal_h"] == 56.0  # issue-14 effect link
