"""The compiled fused pass: march a tile of patients and update integer summaries in one loop.

The march is the same arithmetic as `_kernel_numba._march_range` (so the values are the same
bits), but each output row's values live only in a small (outputs, TILE) buffer in L1 cache
while the histograms, range counts and window sums read them. Per-patient carries (histogram
keys, inside the range at the previous time, entered at least once, the window sum) live per
chunk. Counts (and the histograms' row-to-row changes) are integers added into one flat int64
buffer; with several threads each has its own buffer and they are added at the end, so the
result does not depend on threads or tiles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba as nb
import numpy as np

from itbtwin.scale._kernel_numba import _over_patients, _step

if TYPE_CHECKING:
    from itbtwin.scale._kernel import Propagation

TILE = 256
"""Patients per tile: the march's state, propagators and output values stay in L1/L2."""
BLOCK = 64
"""Grid steps per time block: every tile of the chunk marches one block before the next block
starts, so the histogram rows of a block (outputs × 32 rows) stay in cache for all the tiles."""


@nb.njit(cache=True, inline="always")
def _bin(bits: int, base: int, shift: int, top: int) -> int:
    """`LogBins` bin of a float's bits, branch-free: below ``base`` (negatives too) is bin 0."""
    return min(((max(bits, base - 1) - base) >> shift) + 1, top)


@nb.njit(cache=True, inline="always")
def _bin_of_key(key: np.uint64, shift: np.uint64, lowest: int, top: int) -> int:
    """`_bin` of a float from its key, its bits shifted right (logical) by ``shift``; ``lowest``
    is the base's key. The same bin: the base's low bits are zero (a power of two), and a
    negative float (sign bit set: key ≥ 2^(63 − shift)) is below everything, in bin 0."""
    if key >> (np.uint64(63) - shift):
        return 0
    return min(max(np.int64(key) - lowest + 1, 0), top)


@nb.njit(cache=True, inline="always")
def _step4(
    phi: np.ndarray, g: np.ndarray, x: np.ndarray, y: np.ndarray, d: int, c: int, lo: int, w: int
) -> None:
    """y ← Γu + Φ x for four states in one pass over the tile (the general order of sums)."""
    hi = lo + w
    x0, x1, x2, x3 = x[0], x[1], x[2], x[3]
    for i in range(4):
        yi, gi = y[i], g[c, i, lo:hi]
        f0, f1, f2, f3 = (
            phi[d, i, 0, lo:hi],
            phi[d, i, 1, lo:hi],
            phi[d, i, 2, lo:hi],
            phi[d, i, 3, lo:hi],
        )
        for p in range(w):
            yi[p] = gi[p] + f0[p] * x0[p] + f1[p] * x1[p] + f2[p] * x2[p] + f3[p] * x3[p]


@nb.njit(cache=True, nogil=True)
def _summarise_range(
    phi: np.ndarray,
    g: np.ndarray,
    bolus: np.ndarray,
    step_of: np.ndarray,
    pair_of: np.ndarray,
    bolus_at: np.ndarray,
    record: np.ndarray,
    select: np.ndarray,
    scale: np.ndarray,
    hist: np.ndarray,
    slots: np.ndarray,
    ranges: np.ndarray,
    bounds: np.ndarray,
    windows: np.ndarray,
    thresholds: np.ndarray,
    acc: np.ndarray,
    first: int,
    last: int,
) -> None:
    r = phi.shape[1]
    grid_size, outputs, count = bolus_at.shape[0], select.shape[0], record.shape[0]
    n, n_range, n_window = last - first, ranges.shape[0], windows.shape[0]
    x = np.empty((r, TILE))
    y = np.empty((r, TILE))
    values = np.empty((outputs, TILE))
    fresh = np.empty(TILE, np.uint64)
    state = np.zeros((r, n))
    keys = np.empty((hist.shape[0], n), np.uint64)
    was = np.zeros((n_range, n), np.int64)
    entered = np.zeros((n_range, n), np.int64)
    sums = np.zeros((n_window, n))
    row_start = 0
    for j0 in range(0, grid_size, BLOCK):
        j1 = min(grid_size, j0 + BLOCK)
        for lo in range(first, last, TILE):
            w, at = min(last, lo + TILE) - lo, lo - first
            for i in range(r):
                for p in range(w):
                    x[i, p] = state[i, at + p]
            row = row_start
            for j in range(j0, j1):
                b = bolus_at[j]
                if b >= 0:
                    for i in range(r):
                        source, xi = bolus[b, i, lo : lo + w], x[i]
                        for p in range(w):
                            xi[p] += source[p]
                while row < count and record[row] == j:
                    for o in range(outputs):
                        s, factor, target = select[o], scale[o, lo : lo + w], values[o]
                        for p in range(w):
                            target[p] = x[s, p] * factor[p] if s >= 0 else 0.0
                    _histograms(values, w, row, hist, slots, keys, at, fresh, acc)
                    _ranges(values, w, row, ranges, bounds, was, entered, at, acc)
                    for k in range(n_window):
                        o, start_row, total = windows[k, 0], windows[k, 1], sums[k, at : at + w]
                        if row == start_row:
                            total[:] = values[o, :w]
                        elif row > start_row:
                            for p in range(w):
                                total[p] += values[o, p]
                    row += 1
                if j + 1 < grid_size:
                    d, c = step_of[j], pair_of[j]
                    if r == 4:
                        _step4(phi, g, x, y, d, c, lo, w)
                    else:
                        _step(phi, g, x, y, d, c, lo, w)
                    x, y = y, x
            for i in range(r):
                for p in range(w):
                    state[i, at + p] = x[i, p]
        while row_start < count and record[row_start] < j1:
            row_start += 1
    _finish(ranges, entered, windows, thresholds, sums, count, acc)


@nb.njit(cache=True, inline="always")
def _histograms(
    values: np.ndarray,
    w: int,
    row: int,
    hist: np.ndarray,
    slots: np.ndarray,
    keys: np.ndarray,
    at: int,
    fresh: np.ndarray,
    acc: np.ndarray,
) -> None:
    """Add this output row's histogram changes: every patient at the first row, then only the
    patients whose bin moved since the previous row (+1 new bin, −1 old bin, at this row).

    A patient's *key* is the float's bits shifted right to the bin width; keys kept per patient
    decide who moved with one shift and one comparison (the bin itself only for movers)."""
    bits = values.view(np.uint64)
    for k in range(hist.shape[0]):
        slot = slots[k, row]
        if slot < 0:
            continue
        o, top, shift = hist[k, 0], hist[k, 3], np.uint64(hist[k, 2])
        lowest = hist[k, 1] >> hist[k, 2]
        start, before = hist[k, 4] + slot * (top + 1), keys[k, at : at + w]
        if slot == 0:
            for p in range(w):
                before[p] = bits[o, p] >> shift
                acc[start + _bin_of_key(before[p], shift, lowest, top)] += 1
            continue
        movers = 0
        for p in range(w):  # vectorised: keys, and how many patients moved
            fresh[p] = bits[o, p] >> shift
            movers += fresh[p] != before[p]
        if movers == 0:
            continue
        for p in range(w):
            if fresh[p] != before[p]:
                acc[start + _bin_of_key(fresh[p], shift, lowest, top)] += 1
                acc[start + _bin_of_key(before[p], shift, lowest, top)] -= 1
                before[p] = fresh[p]


@nb.njit(cache=True, inline="always")
def _ranges(
    values: np.ndarray,
    w: int,
    row: int,
    ranges: np.ndarray,
    bounds: np.ndarray,
    was: np.ndarray,
    entered: np.ndarray,
    at: int,
    acc: np.ndarray,
) -> None:
    """Patients inside [low, high) at this row, and entries since the previous row (branch-free)."""
    for k in range(ranges.shape[0]):
        o, low, high = ranges[k, 0], bounds[k, 0], bounds[k, 1]
        inside_count, entries = 0, 0
        line, before, ever = values[o], was[k, at : at + w], entered[k, at : at + w]
        for p in range(w):
            inside = np.int64(low <= line[p]) & np.int64(line[p] < high)
            entry = inside & (1 - before[p]) if row > 0 else 0
            inside_count += inside
            entries += entry
            ever[p] |= entry
            before[p] = inside
        if ranges[k, 1] >= 0:
            acc[ranges[k, 1] + row] += inside_count
        if ranges[k, 2] >= 0:
            acc[ranges[k, 2]] += entries


@nb.njit(cache=True, inline="always")
def _finish(
    ranges: np.ndarray,
    entered: np.ndarray,
    windows: np.ndarray,
    thresholds: np.ndarray,
    sums: np.ndarray,
    count: int,
    acc: np.ndarray,
) -> None:
    """Patients with an entry; window means binned and counted above the thresholds."""
    for k in range(ranges.shape[0]):
        if ranges[k, 3] >= 0:
            acc[ranges[k, 3]] += entered[k].sum()
    levels = np.empty(sums.shape[1])
    level_bits = levels.view(np.int64)
    for k in range(windows.shape[0]):
        start_row, base, shift, top = windows[k, 1], windows[k, 2], windows[k, 3], windows[k, 4]
        span = float(count - start_row)
        for p in range(levels.shape[0]):
            levels[p] = sums[k, p] / span
            acc[windows[k, 5] + _bin(level_bits[p], base, shift, top)] += 1
            for t in range(windows[k, 7]):
                acc[windows[k, 6] + t] += levels[p] > thresholds[k, t]


def march_summarise(prepared: Propagation, tables: tuple[np.ndarray, ...], acc: np.ndarray) -> None:
    """March every patient of ``prepared`` (a `Propagation`) and add the summaries into ``acc``.

    ``tables`` are `FusedPlan.tables`. With several kernel threads each thread adds into its own
    copy of the buffer, and the copies are added into ``acc`` afterwards (integers: exact).
    """
    args = (prepared.phi, prepared.g, prepared.bolus, *prepared.indices, prepared.factors)
    n = prepared.n_patients
    parts: list[np.ndarray] = []

    def run(lo: int, hi: int) -> None:
        own = acc if lo == 0 else np.zeros_like(acc)
        _summarise_range(*args, *tables, own, lo, hi)
        if lo != 0:
            parts.append(own)

    _over_patients(run, n)
    for part in parts:
        acc += part
