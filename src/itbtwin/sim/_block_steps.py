"""Runs of equal steps advanced many at a time: x(j + k) = Φᵏ x(j) + Σ_{i<k} Φⁱ Γu, k = 1..B.

A replay walks an hourly grid for weeks (the demo's twin of each patient, a program change's
dry run): thousands of steps of one length under one constant input, each a few microseconds of
Python around a tiny product (issue 13 §4). Between two breakpoints the step x ← Φ x + Γu is
linear with constant Φ and Γu, so `BLOCK` steps are one product with the stacked powers of Φ.
The powers are products of Φ itself (no second exponential), so each state differs from the
step-by-step one by rounding only: a few ulps per step of the run [derived].
"""

from __future__ import annotations

import numpy as np
from numpy._core.multiarray import c_einsum

BLOCK = 128
"""Steps advanced by one product (a week of hourly steps is 168)."""
MIN_RUN = 8
"""Runs shorter than this many steps are stepped one at a time (the powers would cost more)."""
MAX_BYTES = 1 << 22
"""Most memory the powers of one step length may take ((B, n, S, S) doubles): a large batch,
whose steps are already vectorised across patients, is stepped one at a time."""


def block_size(patients: int, states: int) -> int:
    """Steps per product for a batch of `patients` with `states` states (< `MIN_RUN`: none)."""
    return min(BLOCK, MAX_BYTES // (patients * states * states * 8))


def run_lengths(segments: list[int], which: list[int], kicks: list[bool]) -> list[int]:
    """For each step j (grid point j to j + 1), how many steps from j share its input segment
    and step length with no bolus at a grid point between them: the steps one product may take."""
    steps = len(which)
    if steps == 0:
        return []
    seg, length = np.asarray(segments[:steps]), np.asarray(which)
    starts = np.ones(steps, bool)
    starts[1:] = (
        (seg[1:] != seg[:-1]) | (length[1:] != length[:-1]) | np.asarray(kicks[1:steps], bool)
    )
    first = np.flatnonzero(starts)
    ends = np.append(first[1:], steps)
    run = np.cumsum(starts) - 1
    return (ends[run] - np.arange(steps)).tolist()


def powers(phi: np.ndarray, count: int) -> np.ndarray:
    """Φ, Φ², ..., Φ^count, shape (count, n, S, S), by doubling: Φᵐ Φᵏ = Φᵐ⁺ᵏ."""
    out = np.ascontiguousarray(phi[None])
    while out.shape[0] < count:
        out = np.concatenate((out, np.matmul(out[-1], out)))
    return out[:count]


def drive_sums(power: np.ndarray, drive: np.ndarray) -> np.ndarray:
    """Σ_{i<k} Φⁱ Γu for k = 1..B, shape (B, n, S): what the constant input adds in k steps."""
    shifted = c_einsum("bnij,nj->bni", power[:-1], drive)  # Φ¹Γu ... Φᴮ⁻¹Γu
    return np.cumsum(np.concatenate((drive[None], shifted)), axis=0)


def advance(power: np.ndarray, sums: np.ndarray, state: np.ndarray) -> np.ndarray:
    """The states after 1..count steps from `state` (n, S): (count, n, S)."""
    count, n, s, _ = power.shape
    if n == 1:  # one patient: one matrix-vector product over the stacked powers
        return (power.reshape(count * s, s) @ state[0]).reshape(count, 1, s) + sums
    return np.matmul(power, state[:, :, None])[..., 0] + sums
