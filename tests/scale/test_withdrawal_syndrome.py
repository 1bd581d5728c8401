"""Trials count the withdrawal syndrome, reproduce [S25]'s alarm pattern, and their reports agree
with themselves (issue 14 point 9)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from itbtwin.scale import CatheterFaults, Withdrawal, run_local
from itbtwin.scale._counting import sustained_counts
from itbtwin.scale._report import write_report
from itbtwin.scale._summaries import HOURS_PER_YEAR
from itbtwin.scale._trials_pump import CALIBRATION

from .test_trials_examples import outcome, small

DAILY = np.arange(0.0, 24.0 * 10, 24.0)


def test_a_loss_of_effect_counts_as_syndrome_only_when_it_lasts_the_sustained_hours() -> None:
    below = np.zeros((DAILY.size, 3), bool)
    below[3, 0] = True  # one day seen: first to last output 0 h
    below[3:5, 1] = True  # two days: 24 h
    below[2:4, 2] = below[6:9, 2] = True  # two runs: 24 h and 48 h
    per_time, runs, patients = sustained_counts(below, DAILY, 24.0)
    assert (runs, patients) == (3, 2)
    assert per_time.tolist() == [0, 0, 1, 2, 1, 0, 1, 1, 1, 0]
    assert sustained_counts(below, DAILY, 48.0)[1:] == (1, 1)


def test_a_run_still_open_at_the_end_of_the_trial_counts_once_it_is_long_enough() -> None:
    below = np.zeros((DAILY.size, 1), bool)
    below[-2:, 0] = True
    assert sustained_counts(below, DAILY, 24.0)[1:] == (1, 1)


def test_issue_14_withdrawal_means_the_sustained_syndrome_not_any_halving_of_the_effect() -> None:
    result = outcome("alarm_2ml", "withdrawal", 512)
    assert result["episodes"] <= result["loss_of_effect_episodes"]
    assert result["share_of_patients"] <= result["loss_of_effect_share_of_patients"]
    assert "for at least 24 h" in result["criterion"]
    assert Withdrawal().sustained_h == 24.0


def test_issue_14_alarm_trial_reproduces_s25_quarter_at_2_ml_and_near_none_at_4_ml() -> None:
    """[S25]: 21/88 (24%, binomial 95% CI about 15-34%) had withdrawal with the 2 mL alarm and
    none (0/88: 95% upper bound about 3/88) after raising it to 4 mL."""
    two = outcome("alarm_2ml", "withdrawal", 2048)["share_of_patients"]
    four = outcome("alarm_4ml", "withdrawal", 2048)["share_of_patients"]
    assert 0.15 <= two <= 0.34
    assert four <= 3 / 88


def test_the_refill_delay_rows_say_what_they_were_fitted_to() -> None:
    for name in ("refill_delay_median_days", "refill_delay_cv"):
        row = CALIBRATION[name]
        assert row.source == "residual-withdrawal" and "fitted" in row.basis


def _header(text: str) -> dict[str, str]:
    cells = re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", text)
    return dict(cells)


def test_issue_14_catheter_fault_report_header_counts_the_years_its_body_counts(
    tmp_path: Path,
) -> None:
    result = run_local(small("catheter_faults", 256))
    report = result.report()
    body = next(o for o in report["outcomes"] if o["kind"] == "record_rates")
    assert report["patient_years"] == pytest.approx(body["patient_years"])
    generator = result.trial.population.generator
    assert isinstance(generator, CatheterFaults)
    assert report["patient_years"] == pytest.approx(
        256 * round(generator.follow_up_years * HOURS_PER_YEAR) / HOURS_PER_YEAR
    )
    header = _header(write_report(result, tmp_path / "r.html").read_text())
    assert float(header["patient-years"]) == pytest.approx(body["patient_years"], rel=1e-3)
    assert float(header["follow-up per patient (days)"]) == pytest.approx(1826, abs=1)
    assert header["simulated concentrations (days)"] == "1"


def test_a_simulated_trial_header_counts_its_simulated_days(tmp_path: Path) -> None:
    result = run_local(small("alarm_4ml", 256))
    header = _header(write_report(result, tmp_path / "r.html").read_text())
    assert float(header["follow-up per patient (days)"]) == 365
    assert "simulated concentrations (days)" not in header
    assert result.report()["patient_years"] == pytest.approx(256 * 365 * 24 / HOURS_PER_YEAR)
