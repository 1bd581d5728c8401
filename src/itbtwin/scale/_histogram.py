"""Exact, mergeable histograms on log-spaced bins read straight from the float's bits.

A positive float64's bit pattern grows with its value, and its top bits are the exponent and the
leading mantissa bits. Shifting the pattern right keeps `2^sub_bits` equal sub-bins per octave
(bin width 2^-sub_bits of the octave's start, so at most 1.6% relative width at the default 6),
with no logarithm and no rounding: the same value always lands in the same bin. Counts are
integers, so histograms of chunks add up to exactly the histogram of the whole population, in any
order. Bin 0 holds everything below `lowest` (zeros, round-off negatives); the last bin holds
everything from `lowest · 2^octaves` up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np

_MANTISSA_BITS = 52


@dataclass(frozen=True)
class LogBins:
    """Log-spaced bins from ``lowest`` (a power of two, in the data's unit) over ``octaves``."""

    lowest: float = 2.0**-10
    octaves: int = 30
    sub_bits: int = 6

    def __post_init__(self) -> None:
        mantissa, _ = math.frexp(self.lowest)
        if not (self.lowest > 0 and mantissa == 0.5 and self.octaves > 0 and self.sub_bits >= 0):
            raise ValueError("bins need a power-of-two lowest value and positive octaves")

    @property
    def size(self) -> int:
        """Number of bins, under- and overflow included."""
        return (self.octaves << self.sub_bits) + 2

    @property
    def _shift(self) -> int:
        return _MANTISSA_BITS - self.sub_bits

    @property
    def _base(self) -> int:
        return int(np.float64(self.lowest).view(np.int64))

    def count(self, rows: np.ndarray, counts: np.ndarray) -> None:
        """Add the values of each row of ``rows`` (R, n) to ``counts`` (R, size), in place."""
        _count_rows(rows.view(np.int64), self._base, self._shift, counts)

    def edges(self) -> np.ndarray:
        """Lower edge of every bin (bin 0: 0.0), shape (size,)."""
        inner = self._base + (np.arange(self.size - 1, dtype=np.int64) << self._shift)
        return np.concatenate([[0.0], inner.view(np.float64)])

    def quantiles(self, counts: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
        """Quantiles (lower inverse CDF) of histograms ``counts`` (..., size) at their midpoints.

        Shape (..., Q). Underflow reads 0.0, overflow the top edge; an empty histogram reads NaN.
        """
        edges = self.edges()
        middles = np.append((edges[:-1] + edges[1:]) / 2, edges[-1])
        middles[0] = 0.0
        cumulative = np.cumsum(counts, axis=-1)
        total = cumulative[..., -1:]
        ranks = np.maximum(np.ceil(np.asarray(probabilities) * total), 1)
        index = np.apply_along_axis(
            lambda pair: np.searchsorted(pair[: self.size], pair[self.size :]),
            -1,
            np.concatenate([cumulative, ranks], axis=-1),
        )
        return np.where(total > 0, middles[np.minimum(index, self.size - 1)], np.nan)


@nb.njit(cache=True, nogil=True)
def _count_rows(bits: np.ndarray, base: int, shift: int, counts: np.ndarray) -> None:
    top = counts.shape[1] - 1
    for row in range(bits.shape[0]):
        line, tally = bits[row], counts[row]
        for p in range(line.shape[0]):
            bits_p = line[p]
            b = 0 if bits_p < base else min(((bits_p - base) >> shift) + 1, top)
            tally[b] += 1
