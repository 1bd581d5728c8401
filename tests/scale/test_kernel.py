"""The fast kernel gives the reference solver's numbers (issue 7 §1: to 1e-9 relative)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from itbtwin.errors import ParameterError
from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.scale import amounts, concentrations
from itbtwin.sim import Regimen, bolus, infusion, output_grid, solve

from .helpers import KERNEL_BACKENDS, random_patients, random_regimen, random_schedule

RTOL = 1e-9


def assert_close(fast: np.ndarray, reference: np.ndarray) -> None:
    """Relative to each value, with a floor at 1e-12 of the patient's largest amount (exact zeros
    match): the reference's matrix exponential leaves round-off (~1e-17 mcg) in states no input
    reaches (e.g. the subcutaneous depot without a pocket fill), which the kernel skips (zeros)."""
    axes = (-2, -1) if reference.ndim > 2 else -1
    peak = np.abs(reference).max(axis=axes, keepdims=True) if reference.ndim > 1 else 1.0
    floor = 1e-12 * np.maximum(peak, 1e-300)
    assert np.all(np.abs(fast - reference) <= RTOL * np.abs(reference) + floor)


@pytest.mark.parametrize("backend", KERNEL_BACKENDS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_amounts_match_reference_solver_on_random_patients_and_regimens(
    backend: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    params = random_patients(rng, 40)
    regimen = random_regimen(rng, 96.0)
    times = output_grid(96.0, rng.choice([0.25, 1.0, 1.7]))
    reference = solve(COMPACT, params, regimen, times).amounts
    fast = amounts(COMPACT, params, regimen, times, backend=backend)
    assert_close(np.moveaxis(fast, 1, 2), np.moveaxis(reference, 1, 2))


@pytest.mark.parametrize("backend", KERNEL_BACKENDS)
def test_kernel_matches_reference_with_per_patient_inputs(backend: str) -> None:
    rng = np.random.default_rng(5)
    params = random_patients(rng, 30)
    schedule = random_schedule(rng, 30, 72.0)
    times = np.sort(rng.uniform(0, 72.0, 50))
    reference = solve(COMPACT, params, schedule, times).amounts
    fast = amounts(COMPACT, params, schedule, times, backend=backend)
    assert_close(np.moveaxis(fast, 1, 2), np.moveaxis(reference, 1, 2))


@pytest.mark.parametrize("backend", KERNEL_BACKENDS)
def test_kernel_concentrations_match_reference_outputs(backend: str) -> None:
    rng = np.random.default_rng(3)
    params = random_patients(rng, 25)
    regimen = Regimen([infusion(500, duration_h=720), bolus(50, at_h=24)])
    times = output_grid(720.0, 1.0)
    result = solve(COMPACT, params, regimen, times)
    fast = concentrations(COMPACT, params, regimen, times, backend=backend)
    for o, output in enumerate(COMPACT.outputs):
        assert_close(fast[o].T, result.concentration_ng_ml(output.name))


def test_a_patient_gets_the_same_bits_alone_or_in_any_batch() -> None:
    rng = np.random.default_rng(11)
    params = random_patients(rng, 300)
    regimen = random_regimen(rng, 48.0)
    times = output_grid(48.0, 1.0)
    batch = concentrations(COMPACT, params, regimen, times)
    for index in (0, 129, 299):
        alone = params.replace(
            **{
                f.name: np.asarray(getattr(params, f.name))[index : index + 1]
                for f in dataclasses.fields(params)
                if np.ndim(getattr(params, f.name))
            }
        )
        single = concentrations(COMPACT, alone, regimen, times)
        assert np.array_equal(single[:, :, 0], batch[:, :, index])


def test_states_no_input_reaches_stay_exactly_zero() -> None:
    fast = amounts(COMPACT, BaclofenPk.adult(), Regimen([bolus(50)]), output_grid(24.0, 1.0))
    gut = COMPACT.states.index("gut")
    assert np.all(fast[:, :, gut] == 0.0)


def test_outputs_come_in_the_order_asked() -> None:
    times = output_grid(24.0, 1.0)
    regimen = Regimen([bolus(50)])
    both = concentrations(COMPACT, BaclofenPk.adult(), regimen, times)
    plasma_first = concentrations(
        COMPACT, BaclofenPk.adult(), regimen, times, outputs=("plasma", "csf_lumbar")
    )
    assert np.array_equal(plasma_first[0], both[2])
    assert np.array_equal(plasma_first[1], both[0])


def test_unknown_backend_is_refused_with_the_choices() -> None:
    with pytest.raises(ParameterError, match="numba"):
        concentrations(
            COMPACT, BaclofenPk.adult(), Regimen([bolus(50)]), [0.0, 1.0], backend="fortran"
        )


def test_unknown_output_is_refused_naming_the_model_outputs() -> None:
    with pytest.raises(ParameterError, match="csf_lumbar"):
        concentrations(COMPACT, BaclofenPk.adult(), Regimen([bolus(50)]), [0.0], outputs=("csf",))


def test_output_buffer_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(ParameterError, match="buffer"):
        concentrations(
            COMPACT, BaclofenPk.adult(), Regimen([bolus(50)]), [0.0, 1.0], out=np.empty((3, 1, 1))
        )


@pytest.mark.parametrize("backend", KERNEL_BACKENDS)
def test_marching_patients_in_parts_gives_the_numbers_of_all_at_once(backend: str) -> None:
    """Same bits with the compiled backend (einsum's summation may differ with the shape)."""
    from itbtwin.scale._kernel import output_scale, propagation

    rng = np.random.default_rng(13)
    params = random_patients(rng, 300)
    times = output_grid(48.0, 1.0)
    _, wanted, scale = output_scale(COMPACT, params, None)
    prepared = propagation(
        COMPACT, params, random_regimen(rng, 48.0), times, wanted, scale, backend
    )
    whole = prepared.march()
    for lo, hi in ((0, 1), (5, 133), (129, 300)):
        part = prepared.march(lo, hi)
        if backend == "numba":
            assert np.array_equal(part, whole[:, :, lo:hi])
        else:
            np.testing.assert_allclose(part, whole[:, :, lo:hi], rtol=1e-12, atol=1e-300)


def test_issue_7_a_cached_plan_is_not_reused_for_inputs_into_other_states() -> None:
    times = output_grid(24.0, 1.0)
    params = BaclofenPk.adult()
    intrathecal = amounts(COMPACT, params, Regimen([bolus(50)]), times)
    oral = amounts(COMPACT, params, Regimen([bolus(50, route="oral")]), times)
    reference = solve(COMPACT, params, Regimen([bolus(50, route="oral")]), times).amounts
    assert_close(np.moveaxis(oral, 1, 2), np.moveaxis(reference, 1, 2))
    assert not np.array_equal(intrathecal, oral)
