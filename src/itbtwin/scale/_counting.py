"""One compiled pass over a chunk's series for the range outcomes (time in range, episodes)."""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True, nogil=True)
def range_counts(series: np.ndarray, low: float, high: float) -> tuple[np.ndarray, int, int]:
    """For series (T, n) and the range [low, high): patients in range at each time (T,),
    entries into the range between consecutive times, and patients with at least one entry."""
    times, n = series.shape
    per_time = np.zeros(times, np.int64)
    was_inside = np.empty(n, np.bool_)
    entered = np.zeros(n, np.bool_)
    entries = 0
    for t in range(times):
        row = series[t]
        count = 0
        for p in range(n):
            inside = low <= row[p] < high
            count += inside
            if t > 0 and inside and not was_inside[p]:
                entries += 1
                entered[p] = True
            was_inside[p] = inside
        per_time[t] = count
    return per_time, entries, int(entered.sum())


@nb.njit(cache=True, nogil=True)
def sustained_counts(
    below: np.ndarray, times_h: np.ndarray, min_h: float
) -> tuple[np.ndarray, int, int]:
    """Runs of consecutive output times where ``below`` (T, n) holds that last at least ``min_h``
    hours from their first to their last time (a lower bound of the true duration): patients in
    such a run at each time (T,), the number of runs, and patients with at least one run."""
    times, n = below.shape
    per_time = np.zeros(times, np.int64)
    runs = 0
    patients = 0
    for p in range(n):
        start = -1
        counted = False
        for t in range(times + 1):
            inside = t < times and below[t, p]
            if inside and start < 0:
                start = t
            elif not inside and start >= 0:
                if times_h[t - 1] - times_h[start] >= min_h:
                    runs += 1
                    counted = True
                    for u in range(start, t):
                        per_time[u] += 1
                start = -1
        patients += counted
    return per_time, runs, patients
