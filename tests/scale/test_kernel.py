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
    """Relative to each value, with a floor at 1e-12 of the series' peak (exact zeros match)."""
    peak = np.abs(reference).max(axis=-1, keepdims=True) if reference.ndim > 1 else 1.0
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
