"""Spatial neuraxis model: mass balance, the label's lumbar numbers, the gradient around the tip.

Tolerances: half-life within 1.2-1.8 h and clearance within ±10% of 30 mL/h (pharmacology.md §9),
the compact model's lumbar half-life and clearance within 2%.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbtwin.errors import ParameterError
from itbtwin.patient import COMPACT, SEGMENTS, BaclofenPk, NeuraxisCsf, SpatialModel, SpatialPk
from itbtwin.sim import Regimen, bolus, infusion, output_grid, solve


def _half_life_and_clearance(model, params, output):
    times = np.arange(0.25, 4.0001, 0.25)
    conc = solve(model, params, Regimen([bolus(50)]), times).concentration_ng_ml(output)[0]
    half_life = -math.log(2) / np.polyfit(times, np.log(conc), 1)[0]
    auc = solve(model, params, Regimen([bolus(50)]), [0, 48.0], auc=True).auc_ng_h_ml(output)
    return half_life, 50 / (auc[0, -1] / 1000)


def test_spatial_lumbar_half_life_and_clearance_match_the_compact_model_within_2_percent():
    spatial = _half_life_and_clearance(SpatialModel("L3", ("L3",)), SpatialPk(), "csf_L3")
    compact = _half_life_and_clearance(COMPACT, BaclofenPk.adult(), "csf_lumbar")
    assert spatial == pytest.approx(compact, rel=0.02)
    assert 1.2 <= spatial[0] <= 1.8 and 27 <= spatial[1] <= 33


def _steady(tip, daily=500.0):
    model = SpatialModel(tip, ("T12", "L3"))
    result = solve(model, SpatialPk(), Regimen([infusion(daily, duration_h=96)]), [96.0])
    return {o.name: result.concentration_ng_ml(o.name)[0, -1] for o in model.outputs}


def test_lumbar_infusion_gives_about_4_to_1_lumbar_to_cisternal():
    steady = _steady("L3")
    assert 3.0 <= steady["csf_L3"] / steady["csf_cisternal"] <= 5.0


def test_concentration_falls_steeply_below_a_thoracic_tip():
    steady = _steady("T10")
    assert steady["csf_T10"] / steady["csf_T12"] >= 2.0
    assert steady["csf_T10"] / steady["csf_L3"] >= 10.0


@settings(max_examples=15, deadline=None)
@given(
    tip=st.sampled_from(SEGMENTS),
    amount=st.floats(1, 2000),
    rate=st.one_of(st.just(0.0), st.floats(1, 3000)),
    dispersion=st.floats(0.5, 100),
    flow=st.floats(0.5, 20),
)
def test_spatial_model_conserves_drug_mass(tip, amount, rate, dispersion, flow):
    params = SpatialPk(NeuraxisCsf.typical(dispersion_ml_h=dispersion, rostral_flow_ml_h=flow))
    doses = [bolus(amount)] + ([infusion(rate, duration_h=30)] if rate > 0 else [])
    result = solve(SpatialModel(tip, ()), params, Regimen(doses), output_grid(48, 6.0))
    assert result.mass_balance_error()[0] < 1e-9
    assert np.all(result.amounts > -1e-9)


def test_oral_dosing_gives_the_same_csf_to_plasma_ratio_along_the_whole_spine():
    model = SpatialModel("T10", ("C3", "L3"))
    regimen = Regimen([infusion(60_000, duration_h=300, route="oral")])
    result = solve(model, SpatialPk(), regimen, [300.0])
    plasma = result.concentration_ng_ml("plasma")[0, -1]
    for name in ("csf_T10", "csf_C3", "csf_L3", "csf_cisternal"):
        assert result.concentration_ng_ml(name)[0, -1] / plasma == pytest.approx(0.12, rel=1e-6)


@pytest.mark.parametrize(("level", "message"), [("T13", "T1-T12"), ("S4", "ends at S2")])
def test_levels_without_csf_or_that_do_not_exist_are_errors(level, message):
    with pytest.raises(ParameterError, match=message):
        SpatialModel(tip=level)
