"""The exact solver against closed forms, scipy's ODE solver, and the invariants of linear PK.

Closed forms (one-compartment bolus and infusion) as in Gibaldi & Perrier, Pharmacokinetics,
ch. 1-2: C(t) = D/V e^(-kt);  C(t) = R/CL (1 - e^(-kt)).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from itbtwin.errors import RegimenError
from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.sim import (
    DoseEvent,
    InputSchedule,
    Regimen,
    bolus,
    compile_regimen,
    infusion,
    output_grid,
    repeated,
    solve,
)

# Without the plasma-to-CSF influx, lumbar CSF is exactly one compartment.
ISOLATED = BaclofenPk.adult(csf_plasma_ratio=0.0)
K_LUMBAR = ISOLATED.cl_csf_ml_h / ISOLATED.v_lumbar_ml


def test_lumbar_bolus_matches_the_one_compartment_closed_form() -> None:
    times = output_grid(24, 0.5)
    result = solve(COMPACT, ISOLATED, Regimen([bolus(50)]), times)
    expected = 50 / ISOLATED.v_lumbar_ml * np.exp(-K_LUMBAR * times) * 1000
    np.testing.assert_allclose(result.concentration_ng_ml("csf_lumbar")[0], expected, rtol=1e-12)


def test_lumbar_infusion_matches_the_one_compartment_closed_form() -> None:
    times = output_grid(48, 0.5)
    result = solve(COMPACT, ISOLATED, Regimen([infusion(600, duration_h=48)]), times)
    expected = 25 / ISOLATED.cl_csf_ml_h * (1 - np.exp(-K_LUMBAR * times)) * 1000
    np.testing.assert_allclose(result.concentration_ng_ml("csf_lumbar")[0], expected, rtol=1e-11)


def test_auc_is_exact() -> None:
    result = solve(COMPACT, ISOLATED, Regimen([bolus(100)]), [0, 2.0, 200.0], auc=True)
    auc = result.auc_ng_h_ml("csf_lumbar")[0]
    c0 = 100 / ISOLATED.v_lumbar_ml * 1000
    assert auc[1] == pytest.approx(c0 / K_LUMBAR * (1 - math.exp(-2 * K_LUMBAR)), rel=1e-12)
    assert auc[2] == pytest.approx(100 / ISOLATED.cl_csf_ml_h * 1000, rel=1e-12)


# Times on a millisecond grid: exact solutions do not care, but LSODA crawls over the subnormal
# gaps hypothesis would otherwise generate between breakpoints.
times_h = st.floats(0, 60).map(lambda t: round(t, 3))
events = st.one_of(
    st.builds(
        lambda t, a, r: DoseEvent(t, r, amount_mcg=a),
        times_h,
        st.floats(1, 20_000),
        st.sampled_from(["intrathecal", "oral", "subcutaneous"]),
    ),
    st.builds(
        lambda t, rate, d: DoseEvent(t, "intrathecal", rate_mcg_per_h=rate, duration_h=d),
        times_h,
        st.floats(0.5, 100),
        st.floats(0.1, 60).map(lambda d: round(d, 3)),
    ),
)
regimens = st.lists(events, min_size=1, max_size=6).map(Regimen)


@settings(max_examples=60, deadline=None)
@given(regimen=regimens, end=st.floats(1, 96))
def test_drug_mass_is_conserved_for_any_regimen(regimen: Regimen, end: float) -> None:
    result = solve(COMPACT, BaclofenPk.adult(), regimen, output_grid(end, 0.7))
    assert result.mass_balance_error().max() < 1e-9
    assert result.given_mcg[0, -1] == pytest.approx(regimen.total_mcg(end), rel=1e-12)


def _reference_ode(params: BaclofenPk, regimen: Regimen, times: np.ndarray) -> np.ndarray:
    """The same system integrated by scipy's LSODA between breakpoints, tight tolerances."""
    k = COMPACT.matrix(params)[0]
    schedule = compile_regimen(COMPACT, regimen)
    cuts = np.union1d(schedule.breakpoints_h, times)
    state = np.zeros(len(COMPACT.states))
    out = []
    for j, t in enumerate(cuts):
        b = np.searchsorted(schedule.breakpoints_h, t, side="right") - 1
        if np.isin(t, schedule.breakpoints_h):
            state = state + schedule.boluses[b]
        if np.isin(t, times):
            out.append(state.copy())
        if j + 1 < len(cuts):
            u = schedule.rates[b]
            sol = solve_ivp(
                lambda _t, a, u=u: k @ a + u,
                (t, cuts[j + 1]),
                state,
                method="LSODA",
                rtol=1e-11,
                atol=1e-13,
            )
            state = sol.y[:, -1]
    return np.array(out)


@settings(max_examples=15, deadline=None)
@given(regimen=regimens)
def test_exact_solver_agrees_with_solve_ivp(regimen: Regimen) -> None:
    times = output_grid(72, 1.0)
    params = BaclofenPk.adult()
    exact = solve(COMPACT, params, regimen, times).amounts[0]
    reference = _reference_ode(params, regimen, times)
    live = [COMPACT.states.index(s) for s in ("lumbar", "cranial", "central", "peripheral")]
    scale = np.abs(exact[:, live]).max(axis=0)
    assert np.all(np.abs(exact[:, live] - reference[:, live]) <= 1e-6 * scale + 1e-12)


@settings(max_examples=30, deadline=None)
@given(a=regimens, b=regimens)
def test_response_to_a_plus_b_is_the_sum_of_the_responses(a: Regimen, b: Regimen) -> None:
    times = output_grid(80, 2.0)
    params = BaclofenPk.adult()
    both = solve(COMPACT, params, a + b, times).amounts
    apart = solve(COMPACT, params, a, times).amounts + solve(COMPACT, params, b, times).amounts
    np.testing.assert_allclose(both, apart, rtol=1e-9, atol=1e-9 * np.abs(apart).max())


def test_consecutive_infusions_act_as_one_long_infusion(adult: BaclofenPk) -> None:
    times = output_grid(48, 0.25)
    one = solve(COMPACT, adult, Regimen([infusion(480, duration_h=30)]), times)
    two = solve(
        COMPACT,
        adult,
        Regimen([infusion(480, duration_h=12), infusion(480, start_h=12, duration_h=18)]),
        times,
    )
    np.testing.assert_allclose(one.amounts, two.amounts, rtol=1e-10, atol=1e-12)


def test_a_batch_of_patients_solves_in_one_call_as_each_alone() -> None:
    clearances = np.random.default_rng(7).lognormal(math.log(30), 0.4, size=10_000)
    batch = BaclofenPk.adult(cl_csf_ml_h=clearances)
    times = output_grid(48, 1.0)
    regimen = Regimen([infusion(500, duration_h=48), bolus(50, at_h=24)])
    together = solve(COMPACT, batch, regimen, times).concentration_ng_ml("csf_lumbar")
    assert together.shape == (10_000, times.size)
    for i in (0, 4_321, 9_999):
        alone = solve(COMPACT, BaclofenPk.adult(cl_csf_ml_h=clearances[i]), regimen, times)
        np.testing.assert_allclose(
            together[i], alone.concentration_ng_ml("csf_lumbar")[0], rtol=1e-12
        )


def test_each_patient_can_have_their_own_delivery() -> None:
    breakpoints = np.array([0.0, 10.0])
    rates = np.array([[20.0, 0.0], [10.0, 10.0]])  # mcg/h into lumbar CSF, two patients
    schedule = InputSchedule.from_routes(COMPACT, breakpoints, rates={"intrathecal": rates})
    batch = BaclofenPk.adult(cl_csf_ml_h=np.array([30.0, 30.0]))
    result = solve(COMPACT, batch, schedule, [10.0, 20.0])
    np.testing.assert_allclose(result.given_mcg, [[200, 200], [100, 200]])
    assert result.mass_balance_error().max() < 1e-12


def test_repeated_oral_doses_expand_to_explicit_events() -> None:
    regimen = Regimen([repeated(20_000, every_h=8, times=3)])
    assert [e.time_h for e in regimen.expand().events] == [0, 8, 16]
    assert regimen.total_mcg() == 60_000


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: DoseEvent(0, "epidural", amount_mcg=50), "unknown route"),
        (lambda: DoseEvent(-1, "intrathecal", amount_mcg=50), "before the simulation"),
        (lambda: DoseEvent(0, "intrathecal", amount_mcg=-5), "must not be negative"),
        (lambda: DoseEvent(0, "intrathecal", amount_mcg=5, rate_mcg_per_h=2), "either a bolus"),
        (lambda: DoseEvent(0, "intrathecal", rate_mcg_per_h=2), "either a bolus"),
        (lambda: DoseEvent(0, "oral", amount_mcg=5, additional=2), "positive interval"),
        (lambda: repeated(5, every_h=8, times=0), "at least one dose"),
        (
            lambda: DoseEvent(
                0, "oral", rate_mcg_per_h=1, duration_h=10, interval_h=8, additional=1
            ),
            "overlap",
        ),
    ],
)
def test_impossible_dose_events_are_rejected(make, message: str) -> None:
    with pytest.raises(RegimenError, match=message):
        make()


def test_output_times_must_be_ordered_and_non_negative(adult: BaclofenPk) -> None:
    with pytest.raises(RegimenError, match="output times"):
        solve(COMPACT, adult, Regimen([bolus(50)]), [2.0, 1.0])
