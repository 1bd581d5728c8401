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
outcome's tally arrays views into one flat int64 buffer, which the pass adds into. Histograms
are kept as *changes*: a patient whose bin is the same as at the previous histogram row costs
nothing; one who moved adds +1 to the new bin and −1 to the old one at this row, and `finish`
sums the rows in order (a cumulative sum) into the counts. Outputs settle within days, so after
the first rows about 1 patient in 1,000 moves per hour instead of every patient being counted.
The counts are the same integers the general path computes (same values, same bins, same
comparisons), so the two paths give bit-identical tallies; a run uses the fused path when every
outcome offers it.
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

    def __post_init__(self) -> None:
        if np.any(np.diff(self.rows) <= 0):
            raise ValueError("histogram rows must increase (changes are kept between rows)")


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


def _add_range(
    ranges: list[list[int]], bounds: list[list[float]], o: int, op: RangeOp, targets: list[int]
) -> None:
    """Add a range's row, or fill the free targets of an earlier row with the same output and
    bounds (time in range and episodes of one range share one comparison per patient-hour)."""
    for row, (low, high) in zip(ranges, bounds, strict=True):
        pairs = list(zip(targets, row[1:], strict=True))
        if (row[0], low, high) == (o, op.low, op.high) and all(min(p) < 0 for p in pairs):
            row[1:] = [max(p) for p in pairs]
            return
    ranges.append([o, *targets])
    bounds.append([op.low, op.high])


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
        changes_size = sum(
            tally[op.key][op.index].size
            for outcome_ops, tally in zip(ops, tallies, strict=True)
            for op in outcome_ops
            if isinstance(op, HistogramOp)
        )
        self.acc = np.zeros(total + changes_size, np.int64)
        for tally, where in zip(tallies, offsets, strict=True):
            for key, array in list(tally.items()):
                view = self.acc[where[key] : where[key] + array.size].reshape(array.shape)
                view[...] = array
                tally[key] = view
        self._changes: list[tuple[np.ndarray, np.ndarray]] = []
        hist, slots, ranges, bounds, windows, thresholds = [], [], [], [], [], []
        n_times = times_h.size
        for outcome_ops, tally, where in zip(ops, tallies, offsets, strict=True):
            for op in outcome_ops:
                o = outputs.index(op.output)
                if isinstance(op, HistogramOp):
                    counts = tally[op.key][op.index]
                    changes = self.acc[total : total + counts.size].reshape(counts.shape)
                    self._changes.append((counts, changes))
                    hist.append([o, *_bin_fields(op.bins), total])
                    total += counts.size
                    slot = np.full(n_times, -1, np.int64)
                    slot[op.rows] = np.arange(op.rows.size)
                    slots.append(slot)
                elif isinstance(op, RangeOp):
                    keys = (op.per_time, op.entries, op.entered)
                    _add_range(ranges, bounds, o, op, [-1 if k is None else where[k] for k in keys])
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
            np.array(  # (windows, width): width 0 when no window has a threshold
                [t + [0.0] * (width - len(t)) for t in thresholds], np.float64
            ).reshape(len(thresholds), width),
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
        """March the prepared chunk and add its summaries into the bound tallies.

        Histogram counts arrive as changes between consecutive rows; `finish` adds them in."""
        _kernel_fused.march_summarise(prepared, self.tables, self.acc)

    def finish(self) -> None:
        """Add the histogram changes gathered so far into the counts (rows summed in order)."""
        for counts, changes in self._changes:
            counts += np.cumsum(changes, axis=0)
            changes[...] = 0
