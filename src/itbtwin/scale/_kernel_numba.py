"""The compiled backend: propagators and the march over the grid, vectorised over patients.

Arrays keep the patient last (structure of arrays), so every inner loop runs over contiguous
patients and compiles to SIMD; tiles of `TILE` patients keep the state in L1 cache. The
compiled loops release the GIL and run on `NUMBA_NUM_THREADS` threads (or `set_threads`), each
on its own range of patients (plain threads: OpenMP's spinning workers cost milliseconds per
call on a 2-core machine). Each patient's arithmetic is the same whatever tile or thread it
lands in, so results do not depend on how a population is chunked.

Propagators use scaling and squaring on the Van Loan block [[K, I], [0, 0]] h written out in r×r
pieces: with M = K h / 2^s (1-norm ≤ `THETA`, s chosen per patient), Φ = Σ M^k / k! and
Γ = (h / 2^s) Σ M^k / (k + 1)! to order `ORDER` (truncation < 1e-17), then s squarings
Γ ← Γ + Φ Γ, Φ ← Φ Φ.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from itertools import pairwise

import numba as nb
import numpy as np

TILE = 128
THETA = 0.25
ORDER = 12


@nb.njit(cache=True, inline="always")
def _matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray, w: int) -> None:
    """out[i, j, :w] = Σ_m a[i, m, :w] b[m, j, :w] (r×r per patient)."""
    r = a.shape[0]
    for i in range(r):
        for j in range(r):
            for p in range(w):
                out[i, j, p] = 0.0
            for m in range(r):
                for p in range(w):
                    out[i, j, p] += a[i, m, p] * b[m, j, p]


@nb.njit(cache=True)
def _expm_tile(k: np.ndarray, h: float, phi: np.ndarray, gamma: np.ndarray, w: int) -> None:
    """Φ and Γ over ``h`` hours for the first ``w`` of a tile of rate matrices ``k`` (r, r, TILE).

    Whole C-contiguous tiles, not slices: a sliced last axis has a runtime stride, which keeps
    the compiler from vectorising the loops over patients (3× slower, same numbers)."""
    r = k.shape[0]
    squarings = np.zeros(w, np.int64)
    tau = np.empty(w)
    for p in range(w):
        norm = 0.0
        for j in range(r):
            column = 0.0
            for i in range(r):
                column += abs(k[i, j, p])
            norm = max(norm, column * h)
        squarings[p] = max(0, math.ceil(math.log2(norm / THETA))) if norm > THETA else 0
        tau[p] = math.ldexp(h, -squarings[p])
    m = np.empty((r, r, w))
    term = np.zeros((r, r, w))
    spare = np.empty((r, r, w))
    for i in range(r):
        for j in range(r):
            for p in range(w):
                m[i, j, p] = k[i, j, p] * tau[p]
                phi[i, j, p] = 1.0 if i == j else 0.0
                gamma[i, j, p] = phi[i, j, p]
                term[i, j, p] = phi[i, j, p]
    for order in range(1, ORDER + 1):
        _matmul(term, m, spare, w)
        for i in range(r):
            for j in range(r):
                for p in range(w):
                    term[i, j, p] = spare[i, j, p] / order
                    phi[i, j, p] += term[i, j, p]
                    gamma[i, j, p] += term[i, j, p] / (order + 1)
    for i in range(r):
        for j in range(r):
            for p in range(w):
                gamma[i, j, p] *= tau[p]
    for level in range(squarings.max()):
        _matmul(phi, gamma, spare, w)
        for i in range(r):
            for j in range(r):
                for p in range(w):
                    if level < squarings[p]:
                        gamma[i, j, p] += spare[i, j, p]
        _matmul(phi, phi, spare, w)
        for i in range(r):
            for j in range(r):
                for p in range(w):
                    if level < squarings[p]:
                        phi[i, j, p] = spare[i, j, p]


_local = threading.local()


def set_threads(count: int) -> None:
    """Kernel threads for calls made from this thread (default: ``NUMBA_NUM_THREADS``)."""
    _local.threads = max(1, count)


@cache
def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(threads, thread_name_prefix="itbtwin-kernel")


def _over_patients(run: Callable[[int, int], None], n: int) -> None:
    """Call ``run(lo, hi)`` on contiguous ranges of whole tiles, one per thread."""
    threads = min(getattr(_local, "threads", nb.config.NUMBA_NUM_THREADS), (n + TILE - 1) // TILE)
    if threads <= 1:
        run(0, n)
        return
    tiles = (n + TILE - 1) // TILE
    edges = [min(n, TILE * (tiles * t // threads)) for t in range(threads + 1)]
    jobs = [_pool(threads).submit(run, lo, hi) for lo, hi in pairwise(edges)]
    for job in jobs:
        job.result()


@nb.njit(cache=True, nogil=True)
def _propagators_range(
    k: np.ndarray, steps_h: np.ndarray, phi: np.ndarray, gamma: np.ndarray, lo: int, hi: int
) -> None:
    r = k.shape[0]
    tile_k = np.empty((r, r, TILE))
    tile_phi = np.empty((r, r, TILE))
    tile_gamma = np.empty((r, r, TILE))
    for start in range(lo, hi, TILE):
        w = min(hi, start + TILE) - start
        for i in range(r):
            for j in range(r):
                tile_k[i, j, :w] = k[i, j, start : start + w]
        for d in range(steps_h.shape[0]):
            _expm_tile(tile_k, steps_h[d], tile_phi, tile_gamma, w)
            for i in range(r):
                for j in range(r):
                    phi[d, i, j, start : start + w] = tile_phi[i, j, :w]
                    gamma[d, i, j, start : start + w] = tile_gamma[i, j, :w]


def propagators(k: np.ndarray, steps_h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Φ and Γ, each (D, r, r, n), for rate matrices ``k`` (r, r, n) and steps (D,) in h."""
    r, n = k.shape[0], k.shape[2]
    phi = np.empty((steps_h.size, r, r, n))
    gamma = np.empty_like(phi)
    _over_patients(lambda lo, hi: _propagators_range(k, steps_h, phi, gamma, lo, hi), n)
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
    """Advance x ← Φ x + Γu over the grid from x = 0, writing out[o, t, p] = x[select[o]] scale[o].

    ``phi`` (D, r, r, n), ``g`` (P, r, n), ``bolus`` (B, r, n), ``scale`` (O, n), ``out`` (O, T, n);
    ``select[o] < 0`` writes zeros (a state no input reaches).
    """
    args = (phi, g, bolus, step_of, pair_of, bolus_at, record, select, scale)
    march_patients(*args, out, 0, phi.shape[3])


def march_patients(
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
    lo: int,
    hi: int,
) -> None:
    """`march` for patients [lo, hi) only, written to ``out`` (O, T, hi − lo)."""
    args = (phi, g, bolus, step_of, pair_of, bolus_at, record, select, scale, out)
    if hi - lo <= TILE:  # one tile: no thread hand-off
        _march_range(*args, lo, hi, lo)
        return
    _over_patients(lambda a, b: _march_range(*args, lo + a, lo + b, lo), hi - lo)


@nb.njit(cache=True, inline="always")
def _step(
    phi: np.ndarray, g: np.ndarray, x: np.ndarray, y: np.ndarray, d: int, c: int, lo: int, w: int
) -> None:
    """y ← Γu + Φ x for patients [lo, lo + w) of the tile: step ``d``, input pair ``c``.

    The one order of sums every compiled march uses (the fused pass too), so their values are
    the same bits.
    """
    for i in range(x.shape[0]):
        yi, source = y[i], g[c, i, lo : lo + w]
        for p in range(w):
            yi[p] = source[p]
        for m in range(x.shape[0]):
            coefficient, xm = phi[d, i, m, lo : lo + w], x[m]
            for p in range(w):
                yi[p] += coefficient[p] * xm[p]


@nb.njit(cache=True, nogil=True)
def _march_range(
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
    first: int,
    last: int,
    base: int,
) -> None:
    """March patients [first, last); patient p is written to out[..., p - base]."""
    r = phi.shape[1]
    grid_size, outputs, count = bolus_at.shape[0], select.shape[0], record.shape[0]
    x = np.empty((r, TILE))
    y = np.empty((r, TILE))
    for lo in range(first, last, TILE):
        w = min(last, lo + TILE) - lo
        x[:] = 0.0
        row = 0
        for j in range(grid_size):
            b = bolus_at[j]
            if b >= 0:
                for i in range(r):
                    source, xi = bolus[b, i, lo : lo + w], x[i]
                    for p in range(w):
                        xi[p] += source[p]
            while row < count and record[row] == j:
                for o in range(outputs):
                    s, factor = select[o], scale[o, lo : lo + w]
                    target = out[o, row, lo - base : lo - base + w]
                    for p in range(w):
                        target[p] = x[s, p] * factor[p] if s >= 0 else 0.0
                row += 1
            if j + 1 < grid_size:
                _step(phi, g, x, y, step_of[j], pair_of[j], lo, w)
                x, y = y, x
