"""Overdose and withdrawal signals, dose drift and the oral comparison."""

from __future__ import annotations

import numpy as np
import pytest

from itbtwin.patient import (
    ADVERSE_EVENT_RATES,
    COMPACT,
    BaclofenPk,
    DriftModel,
    EffectParams,
    after_interruption,
    dose_trajectory,
    maintenance_dose,
    oral_equivalent,
    overdose_level,
    respond,
    sample_adverse_events,
    three_year_change,
    withdrawal_timeline,
)
from itbtwin.sim import Regimen, infusion, output_grid, solve


def _effect_site(daily, effect, hours=24.0):
    times = output_grid(hours, 0.1)
    result = solve(
        COMPACT,
        BaclofenPk.adult(),
        Regimen([infusion(daily, duration_h=hours)]),
        times,
        effect_sites={"csf_lumbar": effect},
    )
    return times, result.effect_site_ng_ml("csf_lumbar")


def test_restarting_the_full_dose_after_a_holiday_signals_overdose_when_tolerance_has_faded():
    drift, maintained = DriftModel(), EffectParams.typical(tolerance=3.25)
    daily = float(maintenance_dose(BaclofenPk.adult(), maintained)[0])
    faded = maintained.replace(tolerance=float(after_interruption(np.array(3.25), 21, drift)))
    _, ce = _effect_site(daily, maintained)
    assert overdose_level(ce, maintained).max() == 0
    assert overdose_level(ce, faded).max() >= 1


def test_withdrawal_signals_follow_the_interruption_within_hours():
    effect = EffectParams.typical(tolerance=3.25)
    daily = float(maintenance_dose(BaclofenPk.adult(), effect)[0])
    times = output_grid(120, 0.1)
    result = solve(
        COMPACT,
        BaclofenPk.adult(),
        Regimen([infusion(daily, duration_h=96)]),
        times,
        effect_sites={"csf_lumbar": effect},
    )
    timeline = withdrawal_timeline(
        respond(times, result.effect_site_ng_ml("csf_lumbar"), effect, None), 96
    )
    assert 0 < timeline.early_signs_h[0] < timeline.effect_lost_h[0] < 24
    assert (timeline.severe_from_h, timeline.severe_until_h) == (24.0, 72.0)


def test_dose_rises_over_18_months_then_stays_stable():
    doses = dose_trajectory(
        np.array([500.0]), np.array([3.0]), np.array([0, 1.5, 3.0]), DriftModel()
    )[0]
    assert doses[1] / doses[0] > 2 and (doses[2] - doses[1]) / doses[1] < 0.1  # rise, then <10%
    assert 0.03 <= three_year_change("intrathecal", DriftModel()) <= 0.05
    assert 0.09 <= three_year_change("oral", DriftModel()) <= 0.21


def test_oral_needs_far_more_drug_in_the_blood_for_the_same_spinal_exposure():
    comparison = oral_equivalent(BaclofenPk.adult(), 500)
    assert 50 <= comparison.plasma_ratio_usual <= 200  # product page: 100 times less with ITB
    assert comparison.times_label_max > 1 and comparison.sedation_flag


def test_adverse_events_are_drawn_at_the_label_rates():
    events = sample_adverse_events(20_000, np.random.default_rng(0))
    for name, rate in ADVERSE_EVENT_RATES.items():
        assert events[name].mean() == pytest.approx(rate, abs=0.015)
