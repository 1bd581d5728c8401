"""Per-patient records beside the concentrations: what a generator knew, for the outcomes to count.

Trials that ask about the patients themselves (their maintenance dose, their pump's refills, the
day a fault was found) need what the generator drew. A generator returns named per-patient arrays
in its `Cohort.records`; the runner concatenates them in patient order and hands them to the
outcomes on the `Chunk`, exactly aligned with its concentrations.

`RecordDistribution` (`kind = "record_distribution"`) histograms one record field (exact integer
counts on log bins, so chunked runs are bit-identical) and reports quantiles and the share of
patients in given bands; `RecordRates` (`kind = "record_rates"`) adds integer event counts and
the follow-up hours they were counted over, per 1,000 patient-years.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field

from itbtwin.errors import TrialError
from itbtwin.scale._histogram import LogBins
from itbtwin.scale._summaries import (
    HOURS_PER_YEAR,
    Chunk,
    Context,
    Outcome,
    Tally,
    count_where,
    register_outcome,
)

Records = dict[str, np.ndarray]
_KERNEL_NEEDS_ONE = ("csf_lumbar",)
"""Record outcomes read no concentrations, but the runner simulates at least one output."""


def records_for(chunk: Chunk) -> Records:
    """The records of the chunk's patients, in order; an error when the generator drew none."""
    if not chunk.records:
        raise TrialError(
            "an outcome needs per-patient records but the generator records none: use a "
            "generator that records (docs/scale.md)"
        )
    return chunk.records


def field_of(records: Records, name: str) -> np.ndarray:
    """One record field, with an error that lists the fields the generator records."""
    if name not in records:
        raise TrialError(f"no record field {name!r}; this generator records {sorted(records)}")
    return records[name]


@register_outcome
class RecordDistribution(Outcome):
    """Distribution of one per-patient record field (positive values; NaN = not applicable).

    `bands` are [low, high] pairs in the field's unit (e.g. a label's "most patients" range);
    the report gives the share of counted patients in each. Quantiles are exact to the bin
    (2^-`sub_bits` of an octave: 1.1% relative at 6).
    """

    kind: Literal["record_distribution"] = "record_distribution"
    field: str
    unit: str = ""
    lowest: float = Field(2.0**-10, gt=0)
    octaves: int = Field(40, gt=0, le=64)
    sub_bits: int = Field(6, ge=0, le=10)
    bands: list[tuple[float, float]] = Field(default_factory=list)
    probabilities: list[float] = Field(
        default_factory=lambda: [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
    )

    def needs(self) -> tuple[str, ...]:
        return _KERNEL_NEEDS_ONE

    def bins(self) -> LogBins:
        """The histogram's bins, lowest edge rounded down to a power of two."""
        return LogBins(2.0 ** np.floor(np.log2(self.lowest)), self.octaves, self.sub_bits)

    def empty(self, times_h: np.ndarray) -> Tally:
        return Tally(
            counts=np.zeros((1, self.bins().size), np.int64),
            in_band=np.zeros(len(self.bands), np.int64),
            counted=np.zeros(1, np.int64),
        )

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        values = np.asarray(field_of(records_for(chunk), self.field), float)
        values = np.ascontiguousarray(values[np.isfinite(values)])
        self.bins().count(values[None, :], tally["counts"])
        tally["counted"] += values.size
        for i, (low, high) in enumerate(self.bands):
            tally["in_band"][i] += count_where((values >= low) & (values <= high))

    def report(self, tally: Tally, context: Context) -> dict[str, Any]:
        counted = int(tally["counted"][0])
        values = self.bins().quantiles(tally["counts"][0], np.array(self.probabilities))
        edges = self.bins().edges()
        return {
            "field": self.field,
            "unit": self.unit,
            "patients_counted": counted,
            "quantiles": {
                f"{p:g}": float(v) for p, v in zip(self.probabilities, values, strict=True)
            },
            "share_in_band": {
                f"{low:g}-{high:g}": int(n) / counted if counted else float("nan")
                for (low, high), n in zip(self.bands, tally["in_band"], strict=True)
            },
            "histogram": {"edges": edges, "counts": tally["counts"][0]},
        }


@register_outcome
class RecordRates(Outcome):
    """Integer per-patient event counts (record fields) per 1,000 patient-years of follow-up.

    The follow-up is the record field `hours_field` (whole hours per patient), so the rate is
    exact integers until the final division.
    """

    kind: Literal["record_rates"] = "record_rates"
    events: list[str] = Field(min_length=1)
    hours_field: str = "follow_up_h"

    def needs(self) -> tuple[str, ...]:
        return _KERNEL_NEEDS_ONE

    def empty(self, times_h: np.ndarray) -> Tally:
        n = len(self.events)
        return Tally(
            events=np.zeros(n, np.int64),
            patients=np.zeros(n, np.int64),
            hours=np.zeros(1, np.int64),
        )

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        records = records_for(chunk)
        tally["hours"] += np.asarray(field_of(records, self.hours_field), np.int64).sum()
        for i, name in enumerate(self.events):
            counts = np.asarray(field_of(records, name), np.int64)
            tally["events"][i] += counts.sum()
            tally["patients"][i] += count_where(counts > 0)

    def report(self, tally: Tally, context: Context) -> dict[str, Any]:
        years = int(tally["hours"][0]) / HOURS_PER_YEAR
        return {
            "patient_years": years,
            "events": {e: int(n) for e, n in zip(self.events, tally["events"], strict=True)},
            "per_1000_patient_years": {
                e: 1000 * int(n) / years for e, n in zip(self.events, tally["events"], strict=True)
            },
            "share_of_patients": {
                e: int(n) / context.n_patients
                for e, n in zip(self.events, tally["patients"], strict=True)
            },
        }
