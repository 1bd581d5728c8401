"""Exact propagators of a linear system over one step (matrix exponential, no ODE solver).

For dA/dt = K A + u with u constant over a step h:  A(t + h) = Φ A(t) + Γ u,  with
Φ = exp(K h) and Γ = ∫₀ʰ exp(K s) ds, both read off one exponential of the block matrix
[[K, I], [0, 0]] h (Van Loan 1978). Batched over patients: K has shape (n, S, S).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import expm


def propagators(k: np.ndarray, step_h: float) -> tuple[np.ndarray, np.ndarray]:
    """Φ and Γ (each (n, S, S)) for rate matrices ``k`` (n, S, S) over ``step_h`` hours."""
    n, s, _ = k.shape
    block = np.zeros((n, 2 * s, 2 * s))
    block[:, :s, :s] = k * step_h
    block[:, :s, s:] = np.eye(s) * step_h
    exponential = expm(block)
    # contiguous copies: batched matmul on strided views is several times slower
    return np.ascontiguousarray(exponential[:, :s, :s]), np.ascontiguousarray(
        exponential[:, :s, s:]
    )


STEP_DIGITS = 12
"""Step lengths equal to this many significant digits share one propagator (float noise of a grid);
the relative error of a step length stays below 1e-12."""


def step_key(step_h: float) -> float:
    """The step length a propagator is computed and cached for (h)."""
    return float(f"{step_h:.{STEP_DIGITS}g}")


class PropagatorCache:
    """Propagators of one batch of rate matrices, computed once per distinct step length."""

    def __init__(self, k: np.ndarray) -> None:
        self.k = k
        self._cache: dict[float, tuple[np.ndarray, np.ndarray]] = {}

    def __call__(self, step_h: float) -> tuple[np.ndarray, np.ndarray]:
        """Φ and Γ for a step, cached by `step_key`."""
        key = step_key(step_h)
        if key not in self._cache:
            self._cache[key] = propagators(self.k, key)
        return self._cache[key]
