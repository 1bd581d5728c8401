"""The JAX backend (optional extra `itbtwin[jax]`): the same plan, on an accelerator if present.

Propagators come from `jax.scipy.linalg.expm` of the Van Loan block, vmapped over patients; the
march is a `lax.scan` over the grid. Everything runs in float64 (`jax.enable_x64`), so results
match the other backends to round-off. Same contract as `_kernel_numba`.
"""

from __future__ import annotations

import numpy as np

from itbtwin.errors import ParameterError

try:
    import jax
    import jax.numpy as jnp
    from jax.scipy.linalg import expm
except ImportError:  # pragma: no cover - exercised only without the extra
    raise ParameterError(
        'the "jax" backend needs JAX: pip install "itbtwin[jax]" (or use "numba")'
    ) from None


def _block_expm(k: jnp.ndarray, h: jnp.ndarray) -> tuple[jnp.ndarray, jnp.ndarray]:
    r = k.shape[0]
    block = jnp.zeros((2 * r, 2 * r)).at[:r, :r].set(k * h).at[:r, r:].set(jnp.eye(r) * h)
    exponential = expm(block)
    return exponential[:r, :r], exponential[:r, r:]


@jax.jit
def _propagators(k: jnp.ndarray, steps_h: jnp.ndarray) -> tuple[jnp.ndarray, jnp.ndarray]:
    per_patient = jax.vmap(_block_expm, in_axes=(2, None), out_axes=2)
    return jax.vmap(per_patient, in_axes=(None, 0))(k, steps_h)


def propagators(k: np.ndarray, steps_h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Φ and Γ, each (D, r, r, n), for rate matrices ``k`` (r, r, n) and steps (D,) in h."""
    with jax.enable_x64(True):
        phi, gamma = _propagators(jnp.asarray(k), jnp.asarray(steps_h))
        return np.asarray(phi), np.asarray(gamma)


@jax.jit
def _march(
    phi: jnp.ndarray,
    g: jnp.ndarray,
    bolus: jnp.ndarray,
    step_of: jnp.ndarray,
    pair_of: jnp.ndarray,
    bolus_at: jnp.ndarray,
) -> jnp.ndarray:
    """States at every grid point (G, r, n); `bolus` has an extra zero row for 'no bolus'."""

    def advance(x: jnp.ndarray, step: tuple[jnp.ndarray, ...]) -> tuple[jnp.ndarray, jnp.ndarray]:
        d, c, b = step
        x = x + bolus[b]
        return jnp.einsum("imn,mn->in", phi[d], x) + g[c], x

    last = bolus_at.shape[0] - 1
    x, states = jax.lax.scan(advance, jnp.zeros(g.shape[1:]), (step_of, pair_of, bolus_at[:last]))
    return jnp.concatenate([states, (x + bolus[bolus_at[last]])[None]])


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
    """Same contract as `itbtwin.scale._kernel_numba.march`."""
    padded = np.concatenate([bolus, np.zeros((1, *bolus.shape[1:]))])
    index = np.where(bolus_at >= 0, bolus_at, bolus.shape[0])
    with jax.enable_x64(True):
        states = np.asarray(_march(phi, g, padded, step_of, pair_of, index))
    recorded = states[record]
    for o, s in enumerate(select):
        out[o] = recorded[:, s] * scale[o] if s >= 0 else 0.0
