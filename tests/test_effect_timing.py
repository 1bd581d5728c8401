"""Effect model: timing of bolus and infusion effects (product page; pharmacology.md §9.6-9.7),
and ordinal scores that move one way with concentration."""

from __future__ import annotations

import numpy as np
import pytest

from itbtwin.patient import (
    COMPACT,
    MAS_GRADES,
    BaclofenPk,
    Baseline,
    EffectParams,
    effect_timing,
    respond,
)
from itbtwin.sim import Regimen, bolus, infusion, output_grid, solve


def _timing(dose):
    effect, times = EffectParams.typical(), output_grid(72, 0.05)
    result = solve(
        COMPACT,
        BaclofenPk.adult(),
        Regimen([dose]),
        times,
        effect_sites={"csf_lumbar": effect.ke0_per_h},
    )
    return effect_timing(respond(times, result.effect_site_ng_ml("csf_lumbar"), effect))


def test_bolus_effect_starts_within_half_to_one_hour_peaks_near_4_h_and_lasts_4_to_8_h():
    timing = _timing(bolus(50))
    assert 0.5 <= timing.onset_h[0] <= 1.0
    assert 3.5 <= timing.peak_h[0] <= 4.5
    assert 4.0 <= timing.duration_h[0] <= 8.0


def test_infusion_effect_starts_at_6_to_8_h_and_reaches_maximum_at_24_to_48_h():
    timing = _timing(infusion(100, duration_h=72))
    assert 6.0 <= timing.onset_h[0] <= 8.0
    assert 24.0 <= timing.near_maximum_h[0] <= 48.0


def test_effect_site_observer_leaves_drug_mass_balance_exact():
    effect = EffectParams.typical()
    result = solve(
        COMPACT,
        BaclofenPk.adult(),
        Regimen([bolus(50)]),
        output_grid(24, 1.0),
        auc=True,
        effect_sites={"csf_lumbar": effect.ke0_per_h},
    )
    assert result.mass_balance_error()[0] < 1e-12


@pytest.mark.parametrize("mas", MAS_GRADES)
def test_mas_grade_never_rises_with_concentration(mas):
    ce = np.linspace(0, 5000, 2001)[None, :]
    response = respond(np.arange(ce.shape[1]), ce, EffectParams.typical(), Baseline(mas=mas))
    codes = response.scores.mas_code[0]
    assert np.all(np.diff(codes) <= 0)
    assert response.scores.mas_grade[0, 0] == mas
    assert set(response.scores.mas_grade[0]) <= set(MAS_GRADES)


def test_penn_scores_never_rise_with_concentration_and_severity_needs_spasms():
    ce = np.linspace(0, 5000, 2001)[None, :]
    scores = respond(np.arange(ce.shape[1]), ce, EffectParams.typical()).scores
    assert np.all(np.diff(scores.penn_frequency[0]) <= 0)
    rated = scores.penn_severity[0][scores.penn_frequency[0] > 0]
    assert np.all(np.diff(rated) <= 0) and np.all((rated >= 1) & (rated <= 3))
    assert np.all(scores.penn_severity[0][scores.penn_frequency[0] == 0] == 0)


def test_tolerance_raises_the_concentration_needed():
    naive, tolerant = EffectParams.typical(), EffectParams.typical(tolerance=3.0)
    ce = np.array([[200.0]])
    assert respond([0], ce, tolerant).tone_reduction < respond([0], ce, naive).tone_reduction


def test_unknown_mas_grade_is_an_error_naming_the_grades():
    with pytest.raises(ValueError, match="1\\+"):
        Baseline(mas="2+")
