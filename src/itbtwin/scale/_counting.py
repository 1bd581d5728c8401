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
