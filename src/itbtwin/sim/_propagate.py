"""Exact propagators of a linear system over one step (matrix exponential, no ODE solver).

For dA/dt = K A + u with u constant over a step h:  A(t + h) = Φ A(t) + Γ u,  with
Φ = exp(K h) and Γ = ∫₀ʰ exp(K s) ds, both read off one exponential of the block matrix
[[K, I], [0, 0]] h (Van Loan 1978). Batched over patients: K has shape (n, S, S).
"""

from __future__ import annotations

import functools
from collections import OrderedDict

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


@functools.lru_cache(maxsize=4096)
def step_key(step_h: float) -> float:
    """The step length a propagator is computed and cached for (h); remembered, as a replay asks
    for the same few step lengths at every step (formatting a float each time was ~10% of it)."""
    return float(f"{step_h:.{STEP_DIGITS}g}")


SHARED_MAX_BYTES = 1 << 16
"""Rate matrices up to this size (one patient or a few) also share propagators between solves."""
SHARED_ENTRIES = 1024
"""Propagators kept between solves (least recently used dropped first; a 40-state twin's pair
is ~50 KB)."""
_shared: OrderedDict[tuple[tuple[int, ...], bytes, float], tuple[np.ndarray, np.ndarray]]
_shared = OrderedDict()


class PropagatorCache:
    """Propagators of one batch of rate matrices, computed once per distinct step length.

    A small batch's propagators are also kept between solves, keyed by the matrices' exact
    bytes: a clinic replays the same patient's twin several times (program review, dry run,
    plots, the demo's history), and the exponential was most of each replay (issue 13). The
    same bytes give the same exponential, so results are unchanged; the arrays are read-only.
    """

    def __init__(self, k: np.ndarray) -> None:
        self.k = k
        self._cache: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        self._bytes = k.tobytes() if k.nbytes <= SHARED_MAX_BYTES else None

    def __call__(self, step_h: float) -> tuple[np.ndarray, np.ndarray]:
        """Φ and Γ for a step, cached by `step_key`."""
        key = step_key(step_h)
        if key not in self._cache:
            self._cache[key] = self._compute(key)
        return self._cache[key]

    def _compute(self, key: float) -> tuple[np.ndarray, np.ndarray]:
        if self._bytes is None:
            return propagators(self.k, key)
        shared = (self.k.shape, self._bytes, key)
        if shared in _shared:
            _shared.move_to_end(shared)
            return _shared[shared]
        pair = propagators(self.k, key)
        for array in pair:
            array.flags.writeable = False
        _shared[shared] = pair
        if len(_shared) > SHARED_ENTRIES:
            _shared.popitem(last=False)
        return pair
