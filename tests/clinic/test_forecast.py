"""`itbtwin forecast`: MAP of EC50 × tolerance from own MAS, validated on virtual patients.

Virtual patients: EC50 and tolerance rise drawn by `generate_population` (spinal, seeded), the
typical adult PK, a titration of 100 mcg/day +20% every 48 h, MAS observed daily as the rounded
latent score with the rater error `RATER_SD`. The estimate must recover ln(EC50·T) without bias
and its 90% interval must cover the truth about 90% of the time.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.clinic import DoseHistory, estimate, forecast_dose
from itbtwin.clinic._forecast import dose_for_target, prior
from itbtwin.clinic._forecast_likelihood import RATER_SD, latent_mas, latent_penn
from itbtwin.errors import RegimenError
from itbtwin.patient import MAS_GRADES, BaclofenPk, generate_population

PK = BaclofenPk.adult()
DOSE_TIMES = tuple(48.0 * k for k in range(8))
DOSES = tuple(100.0 * 1.2**k for k in range(8))
OBS_TIMES = tuple(24.0 * k for k in range(1, 17))
CE = DoseHistory(DOSE_TIMES, DOSES, OBS_TIMES, ("3",) * 16, "3").effect_site(PK)


def simulate(theta: float, rng: np.random.Generator) -> DoseHistory:
    latent = latent_mas(theta, CE, 4) + RATER_SD * rng.standard_normal(CE.shape)
    codes = np.clip(np.ceil(latent - 0.5).astype(int), 0, 5)
    return DoseHistory(DOSE_TIMES, DOSES, OBS_TIMES, tuple(MAS_GRADES[c] for c in codes), "3")


def test_virtual_patients_parameters_recovered_and_90_percent_intervals_cover():
    population = generate_population(100, "spinal", seed=2024)
    truth = np.log(np.asarray(population.effect.ec50_ng_ml) * population.rise_factor)
    rng = np.random.default_rng(7)
    fits = [estimate(simulate(t, rng), PK, "spinal") for t in truth]
    theta = np.array([f.theta for f in fits])
    sd = np.array([f.sd for f in fits])
    error = theta - truth
    covered = np.mean(np.abs(error) <= 1.6448536 * sd)
    bias, rmse = float(np.mean(error)), float(np.sqrt(np.mean(error**2)))
    print(
        f"bias {bias:+.3f}, rmse {rmse:.3f} (prior sd {prior('spinal')[1]:.3f}), "
        f"coverage {covered:.2f}"
    )
    assert abs(bias) < 0.05
    assert rmse < 0.6 * prior("spinal")[1]  # the data shrink the prior's uncertainty
    assert 0.75 <= covered <= 0.98


def test_forecast_dose_interval_contains_the_dose_at_the_estimate():
    history = simulate(prior("spinal")[0], np.random.default_rng(1))
    result = forecast_dose(history, PK, origin="spinal", age_years=40, target_mas="1+")
    assert result.low_mcg < result.dose_mcg < result.high_mcg
    assert result.dose_mcg == pytest.approx(dose_for_target(result.estimate.theta, PK, "1+", "3"))


def test_forecast_beyond_the_allowed_step_gives_the_largest_step_first():
    history = DoseHistory((0.0,), (100.0,), (48.0, 72.0), ("3", "3"), "3")
    result = forecast_dose(
        history, PK, origin="spinal", age_years=40, target_mas="1+", phase="titration"
    )
    assert result.dose_mcg > 130
    assert result.next_step_mcg == pytest.approx(130.0)  # +30% per 24 h (spinal)
    assert "forecast_needs_steps" in {r.rule for r in result.reasons}


def test_target_must_be_below_the_baseline():
    history = DoseHistory((0.0,), (100.0,), (48.0,), ("3",), "3")
    with pytest.raises(RegimenError):
        forecast_dose(history, PK, origin="spinal", age_years=40, target_mas="3")


def test_history_refuses_observations_without_times():
    with pytest.raises(RegimenError):
        DoseHistory((0.0,), (100.0,), (48.0,), ("3", "2"), "3")


def test_forecast_command_reads_a_history_with_units(tmp_path):
    path = tmp_path / "history.toml"
    lines = ['baseline_mas = "3"']
    for t, d in zip(DOSE_TIMES, DOSES, strict=True):
        lines += ["[[dose]]", f'at = "{t:g} h"', f'daily_dose = "{d:.1f} mcg/day"']
    for t, g in zip(OBS_TIMES, simulate(6.3, np.random.default_rng(3)).mas, strict=True):
        lines += ["[[mas]]", f'at = "{t / 24:g} day"', f'grade = "{g}"']
    path.write_text("\n".join(lines) + "\n")
    args = ["forecast", str(path), "--target-mas", "1+", "--origin", "spinal", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    low, high = out["dose_90_mcg_per_day"]
    assert low < out["dose_mcg_per_day"] < high
    assert out["reasons"][0]["rule"] == "forecast_dose"
    path.write_text(
        '[[dose]]\nat = "0 h"\ndaily_dose = "100"\n[[mas]]\nat = "1 day"\ngrade = "3"\n'
    )
    assert CliRunner().invoke(app, args).exit_code != 0


def test_penn_spasm_scores_add_information_and_keep_the_truth_covered():
    population = generate_population(30, "spinal", seed=11)
    truth = np.log(np.asarray(population.effect.ec50_ng_ml) * population.rise_factor)
    rng = np.random.default_rng(3)
    narrower, covered = 0, 0
    for theta in truth:
        mas_only = simulate(theta, rng)
        latent = latent_penn(theta, CE, 3) + RATER_SD * rng.standard_normal(CE.shape)
        penn = tuple(int(c) for c in np.clip(np.ceil(latent - 0.5), 0, 4))
        both = DoseHistory(DOSE_TIMES, DOSES, OBS_TIMES, mas_only.mas, "3", OBS_TIMES, penn, 3)
        fit = estimate(both, PK, "spinal")
        narrower += fit.sd < estimate(mas_only, PK, "spinal").sd
        low, high = fit.interval()
        covered += low <= np.exp(theta) <= high
    assert narrower == len(truth)
    assert covered >= 0.75 * len(truth)


def test_penn_frequencies_outside_0_to_4_are_refused():
    with pytest.raises(RegimenError, match="Penn spasm frequency 5"):
        DoseHistory((0.0,), (100.0,), (48.0,), ("3",), "3", (48.0,), (5,), 3)
