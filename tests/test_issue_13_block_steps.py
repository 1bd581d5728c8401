"""Issue 13 §4: the solver advances a run of equal steps under one input many steps per product
(`sim._block_steps`) and gets the states of the step-by-step loop, to rounding.

Closed form as in tests/test_solver.py (Gibaldi & Perrier ch. 1-2): an infusion R into an
isolated lumbar CSF gives C(t) = R/CL (1 - e^(-kt)).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import itbtwin.sim._solve as solver
from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.sim import DoseEvent, Regimen, infusion, output_grid, solve
from itbtwin.sim._block_steps import BLOCK, block_size, powers, run_lengths

ISOLATED = BaclofenPk.adult(csf_plasma_ratio=0.0)
K_LUMBAR = ISOLATED.cl_csf_ml_h / ISOLATED.v_lumbar_ml


def _step_by_step(monkeypatch: pytest.MonkeyPatch, *args, **kwargs):  # type: ignore[no-untyped-def]
    """The same solve with every run stepped one step at a time (the loop before blocks)."""
    with monkeypatch.context() as patch:
        patch.setattr(solver, "MIN_RUN", 10**9)
        return solve(*args, **kwargs)


def test_issue_13_a_month_of_hourly_infusion_in_blocks_matches_the_closed_form() -> None:
    times = output_grid(720, 1.0)  # 720 steps of one hour: five blocks and a part
    result = solve(COMPACT, ISOLATED, Regimen([infusion(480, duration_h=720)]), times)
    expected = 20 / ISOLATED.cl_csf_ml_h * (1 - np.exp(-K_LUMBAR * times)) * 1000
    np.testing.assert_allclose(result.concentration_ng_ml("csf_lumbar")[0], expected, rtol=1e-11)


events = st.one_of(
    st.builds(
        lambda t, a: DoseEvent(t, "intrathecal", amount_mcg=a),
        st.floats(0, 400).map(lambda t: round(t, 3)),
        st.floats(1, 500),
    ),
    st.builds(
        lambda t, rate, d: DoseEvent(t, "intrathecal", rate_mcg_per_h=rate, duration_h=d),
        st.floats(0, 400).map(lambda t: round(t, 3)),
        st.floats(0.5, 100),
        st.floats(0.1, 400).map(lambda d: round(d, 3)),
    ),
)


@settings(max_examples=40, deadline=None)
@given(
    regimen=st.lists(events, min_size=1, max_size=5).map(Regimen),
    end=st.floats(24, 800),
    step=st.sampled_from([0.25, 1.0, 0.7]),
    patients=st.sampled_from([1, 3]),
)
def test_issue_13_runs_advanced_in_blocks_equal_the_step_by_step_states(
    regimen: Regimen, end: float, step: float, patients: int
) -> None:
    params = BaclofenPk.adult(cl_csf_ml_h=np.linspace(20.0, 40.0, patients))
    sites = {"csf_lumbar": np.linspace(0.2, 0.5, patients)}
    times = output_grid(end, step)
    monkeypatch = pytest.MonkeyPatch()
    blocks = solve(COMPACT, params, regimen, times, auc=True, effect_sites=sites)
    steps = _step_by_step(
        monkeypatch, COMPACT, params, regimen, times, auc=True, effect_sites=sites
    )
    for got, want in (
        (blocks.amounts, steps.amounts),
        (blocks.auc_amounts, steps.auc_amounts),
        (blocks.effect_site_ng_ml("csf_lumbar"), steps.effect_site_ng_ml("csf_lumbar")),
    ):
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-12 * np.abs(want).max())


def test_issue_13_a_run_ends_at_a_new_input_a_new_step_length_or_a_bolus() -> None:
    segments = [0, 0, 0, 0, 1, 1, 1, 1, 1]  # grid points; 8 steps
    which = [0, 0, 0, 1, 1, 1, 1, 1]  # step lengths of steps 0-7
    kicks = [True, False, False, False, True, False, True, False, False]
    # runs: steps 0-2 (segment 0, length 0), step 3 (length 1), steps 4-5, then 6-7 (bolus at 6)
    assert run_lengths(segments, which, kicks) == [3, 2, 1, 1, 2, 1, 2, 1]
    assert run_lengths([0], [], [False]) == []


def test_issue_13_the_stacked_powers_are_the_matrix_powers() -> None:
    phi = COMPACT.matrix(BaclofenPk.adult())[:1] * 0.1 + np.eye(len(COMPACT.states))
    stacked = powers(phi, 37)
    assert stacked.shape == (37, 1, *phi.shape[1:])
    for k in (0, 1, 2, 15, 36):
        np.testing.assert_allclose(
            stacked[k, 0], np.linalg.matrix_power(phi[0], k + 1), rtol=1e-12, atol=1e-15
        )


def test_issue_13_a_large_batch_is_stepped_one_step_at_a_time() -> None:
    assert block_size(1, 22) == BLOCK
    assert block_size(10_000, 9) < 8  # its steps are already vectorised across the patients
