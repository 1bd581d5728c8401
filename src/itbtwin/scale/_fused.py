"""Summaries updated while the kernel marches: the chunk's series are never written to memory.

The general path marches a chunk into an (outputs, times, patients) buffer and shows it to every
outcome. For a million patients × 721 hours that buffer's trip through memory, and the hourly
histograms reading it back, cost more than the march itself. Outcomes whose summaries are simple
integer updates of the current output values declare them as *fused operations* instead:

- `HistogramOp`: bin one output's value at chosen output rows (quantiles over time);
- `RangeOp`: patients inside [low, high) at each output time, entries into it, patients with
  an entry (time in range, episodes);
- `WindowMeanOp`: each patient's mean over the last output rows, binned and counted above
  thresholds (steady state).

`FusedPlan` encodes them as integer tables for the compiled pass (`_kernel_fused`) and makes an
outcome's tally arrays views into one flat int64 buffer, which the pass adds into. The counts
are the same integers the general path computes (same values, same bins, same comparisons), so
the two paths give bit-identical tallies; a run uses the fused path when every outcome offers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from itbtwin.scale import _kernel_fused
from itbtwin.scale._histogram import LogBins
from itbtwin.scale._kernel import Propagation
from itbtwin.scale._summaries import Outcome, Tally


@dataclass(frozen=True)
class HistogramOp:
    """Bin `output` at output rows `rows` into tally[key][index], shape (len(rows), bins)."""

    output: str
    rows: np.ndarray
    bins: LogBins
    key: str = "counts"
    index: int = 0


@dataclass(frozen=True)
class RangeOp:
    """low ≤ `output` < high: patients inside per output time into tally[per_time] (T,), entries
    between consecutive times into tally[entries][0], patients with an entry into
    tally[entered][0]; a key of None is not collected."""

    output: str
    low: float
    high: float
    per_time: str | None = None
    entries: str | None = None
    entered: str | None = None


@dataclass(frozen=True)
class WindowMeanOp:
    """Each patient's mean of `output` over output rows `first`… (the end), binned into
    tally[counts][0] and counted above each of `thresholds` into tally[above]."""

    output: str
    first: int
    bins: LogBins
    thresholds: tuple[float, ...]
    counts: str = "counts"
    above: str = "above"


FusedOp = HistogramOp | RangeOp | WindowMeanOp


def _bin_fields(bins: LogBins) -> list[int]:
    return [int(np.float64(bins.lowest).view(np.int64)), 52 - bins.sub_bits, bins.size - 1]


class FusedPlan:
    """Fused operations of a trial's outcomes, bound to one set of tallies (one per thread)."""

    def __init__(
        self,
        ops: Sequence[Sequence[FusedOp]],
        tallies: list[Tally],
        times_h: np.ndarray,
        outputs: tuple[str, ...],
    ) -> None:
        offsets: list[dict[str, int]] = []
        total = 0
        for tally in tallies:
            offsets.append({})
            for key, array in tally.items():
                offsets[-1][key] = total
                total += array.size
        self.acc = np.zeros(total, np.int64)
        for tally, where in zip(tallies, offsets, strict=True):
            for key, array in list(tally.items()):
                view = self.acc[where[key] : where[key] + array.size].reshape(array.shape)
                view[...] = array
                tally[key] = view
        hist, slots, ranges, bounds, windows, thresholds = [], [], [], [], [], []
        n_times = times_h.size
        for outcome_ops, tally, where in zip(ops, tallies, offsets, strict=True):
            for op in outcome_ops:
                o = outputs.index(op.output)
                if isinstance(op, HistogramOp):
                    stride = tally[op.key][op.index].size
                    hist.append([o, *_bin_fields(op.bins), where[op.key] + op.index * stride])
                    slot = np.full(n_times, -1, np.int64)
                    slot[op.rows] = np.arange(op.rows.size)
                    slots.append(slot)
                elif isinstance(op, RangeOp):
                    keys = (op.per_time, op.entries, op.entered)
                    ranges.append([o, *(-1 if k is None else where[k] for k in keys)])
                    bounds.append([op.low, op.high])
                else:
                    fields = [o, op.first, *_bin_fields(op.bins), where[op.counts]]
                    windows.append([*fields, where[op.above], len(op.thresholds)])
                    thresholds.append(list(op.thresholds))
        width = max([len(t) for t in thresholds], default=0)
        self.tables = (
            np.array(hist, np.int64).reshape(-1, 5),
            np.array(slots, np.int64).reshape(-1, n_times),
            np.array(ranges, np.int64).reshape(-1, 4),
            np.array(bounds, np.float64).reshape(-1, 2),
            np.array(windows, np.int64).reshape(-1, 8),
            np.array([t + [0.0] * (width - len(t)) for t in thresholds]).reshape(-1, width),
        )

    @staticmethod
    def of(
        outcomes: Sequence[Outcome],
        tallies: list[Tally],
        times_h: np.ndarray,
        outputs: tuple[str, ...],
    ) -> FusedPlan | None:
        """The plan when every outcome offers fused operations, else None."""
        ops = [outcome.fused(times_h) for outcome in outcomes]
        if any(op is None for op in ops):
            return None
        return FusedPlan(ops, tallies, times_h, outputs)  # type: ignore[arg-type]

    def add(self, prepared: Propagation) -> None:
        """March the prepared chunk and add its summaries into the bound tallies."""
        _kernel_fused.march_summarise(prepared, self.tables, self.acc)
