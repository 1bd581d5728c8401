"""The plain NumPy backend: SciPy's batched expm (the reference propagators) and an einsum march.

Slower than the compiled backend, with no compiler to install; it shares the reference solver's
propagators (`itbtwin.sim.propagators`), so it is also the check that the plan is right.
"""

from __future__ import annotations

import numpy as np

from itbtwin.sim import propagators as reference_propagators


def propagators(k: np.ndarray, steps_h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Φ and Γ, each (D, r, r, n), for rate matrices ``k`` (r, r, n) and steps (D,) in h."""
    batch = np.ascontiguousarray(np.moveaxis(k, -1, 0))
    pairs = [reference_propagators(batch, float(h)) for h in steps_h]
    phi = np.stack([np.moveaxis(p, 0, -1) for p, _ in pairs])
    gamma = np.stack([np.moveaxis(g, 0, -1) for _, g in pairs])
    return phi, gamma


def march(
    phi: np.ndarray,
    g: np.ndarray,
    bolus: np.ndarray,
    step_of: np.ndarray,
    pair_of: np.ndarray,
    bolus_at: np.ndarray,
    record: np.ndarray,
    select: np.ndarray,
    scale: np.ndarray,
    out: np.ndarray,
) -> None:
    """Same contract as `itbtwin.scale._kernel_numba.march`, vectorised with einsum."""
    x = np.zeros(g.shape[1:])
    live = select >= 0
    out[~live] = 0.0
    rows = np.searchsorted(record, np.arange(bolus_at.size + 1))
    for j in range(bolus_at.size):
        if bolus_at[j] >= 0:
            x = x + bolus[bolus_at[j]]
        if rows[j + 1] > rows[j]:
            out[live, rows[j] : rows[j + 1]] = (x[select[live]] * scale[live])[:, None]
        if j + 1 < bolus_at.size:
            x = np.einsum("imn,mn->in", phi[step_of[j]], x) + g[pair_of[j]]
