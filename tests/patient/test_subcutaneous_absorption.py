"""Issue 14 point 8: drug in the pocket is absorbed from a subcutaneous depot, first order.

Reference problem: a bolus into a first-order depot (rate ka) feeding a two-compartment plasma
model (k10 = CL/Vc, k12 = Q/Vc, k21 = Q/Vp) has the closed form (any PK text, e.g. Gibaldi &
Perrier, oral two-compartment model with F = 1):

    C(t) = D ka / Vc · Σ_{λ ∈ α, β, ka} (k21 − λ) / Π_{μ ≠ λ} (μ − λ) · e^(−λ t)

With `csf_plasma_ratio = 0` the compact model's plasma is exactly that (no exchange with CSF).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from scipy.optimize import brentq

from itbtwin.errors import RegimenError
from itbtwin.patient import COMPACT, BaclofenPk, SpatialModel, SpatialPk
from itbtwin.patient._compact import SUBCUTANEOUS_KA_PER_H, CompactModel
from itbtwin.sim import Regimen, bolus, output_grid, solve

DOSE_MCG = 5000.0  # the pocket_fill example: 2.5 mL of 2000 mcg/mL into the pocket


def _closed_form(pk: BaclofenPk, ka: float) -> tuple[Callable[[float], float], ...]:
    vc, vp = pk.v_central_ml, pk.v_peripheral_ml
    k10, k12, k21 = pk.cl_plasma_ml_h / vc, pk.q_plasma_ml_h / vc, pk.q_plasma_ml_h / vp
    total = k10 + k12 + k21
    root = math.sqrt(total**2 - 4 * k10 * k21)
    rates = ((total + root) / 2, (total - root) / 2, ka)

    def coefficient(i: int) -> float:
        others = [rates[j] - rates[i] for j in range(3) if j != i]
        return (k21 - rates[i]) / (others[0] * others[1])

    def conc(t: float) -> float:
        terms = sum(coefficient(i) * math.exp(-rates[i] * t) for i in range(3))
        return 1000 * DOSE_MCG * ka / vc * terms

    def slope(t: float) -> float:
        terms = sum(-rates[i] * coefficient(i) * math.exp(-rates[i] * t) for i in range(3))
        return 1000 * DOSE_MCG * ka / vc * terms

    return conc, slope


def test_issue_14_pocket_fill_plasma_peak_time_and_height_match_the_closed_form() -> None:
    pk = BaclofenPk.adult(csf_plasma_ratio=0.0)
    conc, slope = _closed_form(pk, SUBCUTANEOUS_KA_PER_H)
    tmax = brentq(slope, 0.01, 10.0)
    times = output_grid(6.0, 0.001)
    result = solve(COMPACT, pk, Regimen([bolus(DOSE_MCG, route="subcutaneous")]), times)
    plasma = result.concentration_ng_ml("plasma")[0]
    assert times[np.argmax(plasma)] == pytest.approx(tmax, abs=0.002)
    assert plasma.max() == pytest.approx(conc(tmax), rel=1e-6)
    assert plasma[0] == 0.0  # nothing in plasma at the instant of the injection (was 175 ng/mL)
    assert 0.5 <= tmax <= 1.5


def test_subcutaneous_dose_is_absorbed_completely_and_mass_balance_holds() -> None:
    times = np.array([0.0, 48.0])
    result = solve(
        COMPACT, BaclofenPk.adult(), Regimen([bolus(DOSE_MCG, route="subcutaneous")]), times
    )
    depot = result.amounts[0, -1, COMPACT.states.index("subcutaneous")]
    assert depot == pytest.approx(DOSE_MCG * math.exp(-SUBCUTANEOUS_KA_PER_H * 48), abs=1e-9)
    assert result.mass_balance_error()[0] < 1e-9


def test_spatial_model_absorbs_the_pocket_like_the_compact_model() -> None:
    times = np.array([0.5, 1.0, 3.0])
    regimen = Regimen([bolus(DOSE_MCG, route="subcutaneous")])
    compact = solve(COMPACT, BaclofenPk.adult(), regimen, times).concentration_ng_ml("plasma")
    spatial = solve(SpatialModel(), SpatialPk(), regimen, times).concentration_ng_ml("plasma")
    np.testing.assert_allclose(spatial, compact, rtol=1e-3)


def test_a_non_positive_subcutaneous_absorption_rate_is_refused() -> None:
    with pytest.raises(RegimenError, match="positive"):
        CompactModel(subcutaneous_ka_per_h=0.0)
