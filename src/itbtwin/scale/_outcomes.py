"""The outcomes a pharmacokinetic trial can collect today (kinds for the trial file).

- `quantiles`: quantiles over time of output concentrations (fan charts).
- `time_in_range`: share of patients in a concentration range at each time, hours per patient.
- `episodes`: entries into a range (e.g. lumbar CSF falling below a withdrawal threshold) per
  1,000 patient-years.
- `steady_state`: each patient's mean over a final window; share above thresholds, quantiles.

Concentrations in ng/mL, times in h. Quantiles read log-spaced bins (`LogBins`), so they are
exact to the bin: within 1.6% relative at the default resolution.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, Strict, model_validator

from itbtwin.scale._counting import range_counts
from itbtwin.scale._fused import HistogramOp, RangeOp, WindowMeanOp
from itbtwin.scale._histogram import LogBins
from itbtwin.scale._summaries import Chunk, Context, Outcome, Tally, count_where, register_outcome

Number = Annotated[float, Strict()]
"""A concentration written as a number: `thresholds_ng_ml = ["200"]` was converted (issue 17)."""
Probabilities = list[float]
_DEFAULT_PROBABILITIES = [0.05, 0.25, 0.5, 0.75, 0.95]


class _Binned(Outcome):
    """An outcome with a histogram: resolution 2^-sub_bits per octave from `lowest_ng_ml`."""

    lowest_ng_ml: Number = Field(2.0**-10, gt=0)
    octaves: int = Field(30, gt=0, le=64)
    sub_bits: int = Field(6, ge=0, le=10)
    probabilities: Probabilities = Field(default_factory=lambda: list(_DEFAULT_PROBABILITIES))

    @model_validator(mode="after")
    def _probabilities_in_range(self) -> _Binned:
        if not all(0 <= p <= 1 for p in self.probabilities):
            raise ValueError("probabilities must lie in [0, 1]")
        return self

    def bins(self) -> LogBins:
        """The bins, their lowest edge rounded down to a power of two."""
        return LogBins(2.0 ** np.floor(np.log2(self.lowest_ng_ml)), self.octaves, self.sub_bits)


@register_outcome
class QuantilesOverTime(_Binned):
    """Quantiles of each output's concentration at every `every_h` hours of the grid."""

    kind: Literal["quantiles"] = "quantiles"
    outputs: list[str] = Field(min_length=1)
    every_h: float | None = Field(None, gt=0)

    def needs(self) -> tuple[str, ...]:
        return tuple(self.outputs)

    def rows(self, times_h: np.ndarray) -> np.ndarray:
        """Indices of the output times summarised (multiples of `every_h`, or all)."""
        if self.every_h is None:
            return np.arange(times_h.size)
        ratio = times_h / self.every_h
        return np.flatnonzero(np.abs(ratio - np.round(ratio)) < 1e-9)

    def empty(self, times_h: np.ndarray) -> Tally:
        shape = (len(self.outputs), self.rows(times_h).size, self.bins().size)
        return Tally(counts=np.zeros(shape, np.int64))

    def tally_bytes(self, times_h: np.ndarray) -> int:
        """As `empty` would allocate (8-byte counts), computed: this tally is the large one."""
        return len(self.outputs) * self.rows(times_h).size * self.bins().size * 8

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        rows, bins = self.rows(chunk.times_h), self.bins()
        every = rows.size == chunk.times_h.size
        for o, output in enumerate(self.outputs):
            series = chunk.of(output)
            bins.count(series if every else series[rows], tally["counts"][o])

    def fused(self, times_h: np.ndarray) -> tuple[HistogramOp, ...]:
        rows, bins = self.rows(times_h), self.bins()
        return tuple(
            HistogramOp(out, rows, bins, "counts", o) for o, out in enumerate(self.outputs)
        )

    def report(self, tally: Tally, context: Context) -> dict[str, Any]:
        values = self.bins().quantiles(tally["counts"], np.array(self.probabilities))
        return {
            "time_h": context.times_h[self.rows(context.times_h)],
            "probabilities": self.probabilities,
            "ng_ml": {o: values[i].T for i, o in enumerate(self.outputs)},
        }


class _Range(Outcome):
    """A concentration range of one output: [above_ng_ml, below_ng_ml), either end open."""

    output: str
    above_ng_ml: Number | None = Field(None, ge=0)
    below_ng_ml: Number | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _one_bound_at_least(self) -> _Range:
        if self.above_ng_ml is None and self.below_ng_ml is None:
            raise ValueError("give above_ng_ml, below_ng_ml or both")
        if None not in (self.above_ng_ml, self.below_ng_ml) and not (
            self.above_ng_ml < self.below_ng_ml  # type: ignore[operator]
        ):
            raise ValueError("above_ng_ml must be smaller than below_ng_ml")
        return self

    def needs(self) -> tuple[str, ...]:
        return (self.output,)

    def bounds(self) -> tuple[float, float]:
        """[low, high) in ng/mL, an open end as an infinity."""
        low = -np.inf if self.above_ng_ml is None else self.above_ng_ml
        high = np.inf if self.below_ng_ml is None else self.below_ng_ml
        return low, high

    def counts(self, chunk: Chunk) -> tuple[np.ndarray, int, int]:
        """Patients in range at each time, entries into it, patients with an entry."""
        low, high = self.bounds()
        return chunk.shared(
            ("range_counts", self.output, low, high),
            lambda: range_counts(chunk.of(self.output), low, high),
        )


@register_outcome
class TimeInRange(_Range):
    """Patients in the range at each output time; hours in range per patient."""

    kind: Literal["time_in_range"] = "time_in_range"

    def empty(self, times_h: np.ndarray) -> Tally:
        return Tally(patients=np.zeros(times_h.size, np.int64))

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        tally["patients"] += self.counts(chunk)[0]

    def fused(self, times_h: np.ndarray) -> tuple[RangeOp]:
        return (RangeOp(self.output, *self.bounds(), per_time="patients"),)

    def report(self, tally: Tally, context: Context) -> dict[str, Any]:
        share = tally["patients"] / context.n_patients
        return {
            "share_over_time": share,
            "hours_per_patient": float(share @ context.hours_weights()),
            "share_of_time": float(share @ context.hours_weights() / context.times_h[-1]),
        }


@register_outcome
class Episodes(_Range):
    """Entries into the range between consecutive output times (time 0 is not an entry)."""

    kind: Literal["episodes"] = "episodes"

    def empty(self, times_h: np.ndarray) -> Tally:
        return Tally(episodes=np.zeros(1, np.int64), patients=np.zeros(1, np.int64))

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        _, entries, patients = self.counts(chunk)
        tally["episodes"] += entries
        tally["patients"] += patients

    def fused(self, times_h: np.ndarray) -> tuple[RangeOp]:
        return (RangeOp(self.output, *self.bounds(), entries="episodes", entered="patients"),)

    def report(self, tally: Tally, context: Context) -> dict[str, Any]:
        episodes = int(tally["episodes"][0])
        return {
            "episodes": episodes,
            "per_1000_patient_years": 1000 * episodes / context.patient_years,
            "share_of_patients": int(tally["patients"][0]) / context.n_patients,
        }


@register_outcome
class SteadyState(_Binned):
    """Each patient's mean of the output samples in the last `window_h` hours of the trial."""

    kind: Literal["steady_state"] = "steady_state"
    output: str
    window_h: float = Field(24.0, gt=0)
    thresholds_ng_ml: list[Number] = Field(default_factory=list)

    def needs(self) -> tuple[str, ...]:
        return (self.output,)

    def empty(self, times_h: np.ndarray) -> Tally:
        return Tally(
            counts=np.zeros((1, self.bins().size), np.int64),
            above=np.zeros(len(self.thresholds_ng_ml), np.int64),
        )

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        level = chunk.of(self.output)[self.window(chunk.times_h)].mean(axis=0)
        self.bins().count(level[None, :], tally["counts"])
        for i, threshold in enumerate(self.thresholds_ng_ml):
            tally["above"][i] += count_where(level > threshold)

    def window(self, times_h: np.ndarray) -> np.ndarray:
        """Output rows averaged: the last `window_h` hours (a suffix of the grid)."""
        return times_h >= times_h[-1] - self.window_h

    def fused(self, times_h: np.ndarray) -> tuple[WindowMeanOp]:
        first = int(np.argmax(self.window(times_h)))
        thresholds = tuple(self.thresholds_ng_ml)
        return (WindowMeanOp(self.output, first, self.bins(), thresholds, "counts", "above"),)

    def report(self, tally: Tally, context: Context) -> dict[str, Any]:
        quantiles = self.bins().quantiles(tally["counts"][0], np.array(self.probabilities))
        return {
            "quantiles_ng_ml": {
                f"{p:g}": float(q) for p, q in zip(self.probabilities, quantiles, strict=True)
            },
            "share_above": {
                f"{t:g}": int(n) / context.n_patients
                for t, n in zip(self.thresholds_ng_ml, tally["above"], strict=True)
            },
        }
