"""Summaries that merge exactly, and the plug-in point for the outcomes a trial collects.

A population never exists in memory at once: each chunk of patients is simulated, shown to every
outcome, and dropped. An outcome keeps only a `Tally`, a set of integer arrays (counts), and
tallies of chunks are merged by addition. Integer addition is exact and does not care about order,
so a trial's summaries are bit-identical whether it ran in one chunk or a thousand, on one core
or a cluster. Floats appear only in `Outcome.report`, computed once from the merged counts.

New outcomes (pump alarms, withdrawal from the response model...) subclass `Outcome` and call
`register_outcome`; a trial file then names them by their `kind`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict

HOURS_PER_YEAR = 365.25 * 24
_Value = TypeVar("_Value")


class Tally(dict[str, np.ndarray]):
    """Named integer arrays; `merge` adds another tally of the same shape in place."""

    def merge(self, other: Tally) -> Tally:
        """Add ``other`` into this tally (exact: integers) and return it."""
        for key, value in other.items():
            self[key] += value
        return self


class Calibration(NamedTuple):
    """One declared setting of a trial mechanism: unit, meaning, source key, what it rests on.

    `source` is an `itbtwin.sources` key ("assumption" where no source settles the value)."""

    unit: str
    help: str
    source: str
    basis: str


@dataclass(frozen=True)
class Chunk:
    """What outcomes see of one chunk of patients.

    - `times_h` (T,): output times, h.
    - `outputs`: names of the model outputs in `series`.
    - `series` (O, T, n): concentrations, ng/mL (patients contiguous).
    - `records`: what the generator drew per patient (name → (n,) array), in the same order.

    `shared(key, compute)` lets outcomes that read the same pass over the series (time in a
    range and entries into it) compute it once per chunk.
    """

    times_h: np.ndarray
    outputs: tuple[str, ...]
    series: np.ndarray
    records: dict[str, np.ndarray] = field(default_factory=dict)
    _shared: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def n_patients(self) -> int:
        """Patients in this chunk."""
        return int(self.series.shape[2])

    def of(self, output: str) -> np.ndarray:
        """One output's concentrations, ng/mL, shape (T, n)."""
        return self.series[self.outputs.index(output)]

    def shared(self, key: Any, compute: Callable[[], _Value]) -> _Value:
        """``compute()``, run once per chunk for each ``key`` (a hashable description)."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]


@dataclass(frozen=True)
class Context:
    """What a report needs beyond the tally: population size and the output grid (h)."""

    n_patients: int
    times_h: np.ndarray
    follow_up_h: float | None = None

    @property
    def patient_years(self) -> float:
        """Follow-up of the whole population, years: the generator's follow-up per patient when
        it declares one (issue 14: header and body count the same years), else the grid."""
        hours = float(self.times_h[-1]) if self.follow_up_h is None else self.follow_up_h
        return self.n_patients * hours / HOURS_PER_YEAR

    def hours_weights(self) -> np.ndarray:
        """Trapezoid weights (h) of the output times: Σ w_t f(t_t) ≈ ∫ f dt."""
        steps = np.diff(self.times_h)
        return np.concatenate([[0.0], steps / 2]) + np.concatenate([steps / 2, [0.0]])


class Outcome(BaseModel):
    """A summary a trial collects: declared in the trial file, filled chunk by chunk.

    Subclasses set `kind` (a literal default), read the outputs in `needs`, start from `empty`,
    add one chunk with `collect` (integers only) and turn the merged tally into JSON-ready
    numbers with `report`; `fused` may describe `collect` as updates made during the march.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: str
    label: str = ""

    def tally_bytes(self, times_h: np.ndarray) -> int:
        """Memory of this outcome's tally over the output grid `times_h` (bytes)."""
        return sum(array.nbytes for array in self.empty(times_h).values())

    def needs(self) -> tuple[str, ...]:
        """Model outputs this outcome reads."""
        raise NotImplementedError

    def empty(self, times_h: np.ndarray) -> Tally:
        """The tally of no patients."""
        raise NotImplementedError

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        """Add one chunk of patients to ``tally``, in place."""
        raise NotImplementedError

    def report(self, tally: Tally, context: Context) -> dict[str, Any]:
        """The summary as JSON-ready numbers."""
        raise NotImplementedError

    def fused(self, times_h: np.ndarray) -> tuple[Any, ...] | None:
        """The same counts as `collect`, as `_fused` operations the march updates; None: none.

        A run skips writing the series when every outcome offers them (see `_fused`)."""
        return None

    def title(self) -> str:
        """The label, or the kind when no label was given."""
        return self.label or self.kind


OUTCOMES: dict[str, type[Outcome]] = {}
"""Outcome kinds a trial file can name, by `kind`."""

_Kind = TypeVar("_Kind", bound=type[BaseModel])


def registrar(registry: dict[str, Any]) -> Callable[[_Kind], _Kind]:
    """A class decorator that files a model class in ``registry`` under its default `kind`."""

    def register(cls: _Kind) -> _Kind:
        """File ``cls`` under its default `kind`, so trial files can name it."""
        registry[cls.model_fields["kind"].default] = cls
        return cls

    return register


register_outcome = registrar(OUTCOMES)
"""Make an `Outcome` subclass available to trial files (use as a class decorator)."""


def count_where(mask: np.ndarray, axis: int | None = None) -> np.ndarray:
    """Count true values as int64 (the one integer type of every tally)."""
    return np.asarray(np.count_nonzero(mask, axis=axis), dtype=np.int64)
