"""Issue 14, point 3: tolerance fades while no drug reaches the tip (τ 7 d, docs/response.md), so a
full-dose restart after a long interruption shows the overdose signal.

Hand-computed: a typical 75 kg adult controlled on 500 mcg/day has tolerance T = 3.62 (the
twin's `controlled_effect`); 20 mL at 1 mL/day runs dry on day 20; 15 days without drug leave
T = 1 + 2.62 · exp(−15/7) = 1.307 at the refill, so restarting 500 mcg/day puts the effect site
at 1.2 × 3.62 / 1.307 ≈ 3.3× the patient's need (level 1: x ≥ 2).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from itbtwin.pump import Fill, Program, Refill
from itbtwin.sim import load_scenario, run_twin

DAY = 24.0
BASE = load_scenario(Path(__file__).parents[1] / "examples" / "missed_refill.toml")


def _restart(dose: float, gap_days: float):
    dry_day = 20 / (dose / 500)
    therapy = dataclasses.replace(
        BASE.therapy,
        fill=Fill(20, 500),
        programs=((0.0, Program.continuous(dose, 500)),),
        refills=(Refill((dry_day + gap_days) * DAY, Fill(20, 500)),),
        faults=(),
        span_h=(dry_day + gap_days + 2) * DAY,
    )
    return run_twin(dataclasses.replace(BASE, therapy=therapy)), (dry_day + gap_days) * DAY


def test_issue_14_tolerance_fades_with_a_7_day_time_constant_while_no_drug_flows() -> None:
    outcome, restart_h = _restart(500, 15)
    tolerance, times = outcome.series["tolerance_factor"], outcome.series["time_h"]
    settled = tolerance[0]
    assert tolerance[np.searchsorted(times, 19 * DAY)] == pytest.approx(settled, rel=1e-3)
    faded = 1 + (settled - 1) * math.exp(-15 / 7)
    assert tolerance[np.searchsorted(times, restart_h)] == pytest.approx(faded, rel=1e-3)


def test_issue_14_a_full_dose_restart_after_15_days_without_drug_shows_the_overdose_signal() -> (
    None
):
    outcome, restart_h = _restart(500, 15)
    assert outcome.summary["max_overdose_level"] == 1
    assert outcome.summary["first_overdose_day"] * DAY > restart_h  # after the restart


def test_a_restart_after_one_day_without_drug_shows_no_overdose() -> None:
    outcome, _ = _restart(500, 1)
    assert outcome.summary["max_overdose_level"] == 0
