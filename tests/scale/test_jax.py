"""The optional JAX backend gives the compiled backend's numbers (issue 7 §6)."""

from __future__ import annotations

import numpy as np
import pytest

from itbtwin.patient import COMPACT
from itbtwin.scale import amounts
from itbtwin.sim import output_grid

from .helpers import random_patients, random_regimen, random_schedule

pytest.importorskip("jax")


def test_jax_backend_matches_the_numba_backend_on_random_patients() -> None:
    rng = np.random.default_rng(4)
    params = random_patients(rng, 20)
    regimen = random_regimen(rng, 48.0)
    times = output_grid(48.0, 1.0)
    numba_amounts = amounts(COMPACT, params, regimen, times, backend="numba")
    jax_amounts = amounts(COMPACT, params, regimen, times, backend="jax")
    scale = np.abs(numba_amounts).max()
    assert np.allclose(jax_amounts, numba_amounts, rtol=1e-9, atol=1e-12 * scale)


def test_jax_backend_takes_per_patient_inputs() -> None:
    rng = np.random.default_rng(6)
    params = random_patients(rng, 10)
    schedule = random_schedule(rng, 10, 24.0)
    times = output_grid(24.0, 0.5)
    expected = amounts(COMPACT, params, schedule, times, backend="numpy")
    got = amounts(COMPACT, params, schedule, times, backend="jax")
    assert np.allclose(got, expected, rtol=1e-9, atol=1e-12 * np.abs(expected).max())
