"""Virtual patients: generators registered by kind, drawing one block of patients at a time.

A generator turns a random stream and a block size into a `Cohort` (parameters and the inputs
they receive). The trial gives each block its own stream (`_stream.block_rng`), so a patient's
draw depends only on the trial seed and their block, never on chunking or workers. New generators
(response-model patients, pump-driven delivery) subclass `PatientGenerator` and call
`register_generator`; a trial file names them by `kind`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from itbtwin.patient import BaclofenPk
from itbtwin.scale._summaries import registrar
from itbtwin.sim import InputSchedule, Regimen


class Cohort(NamedTuple):
    """A batch of patients: parameters (patients on axis 0), their inputs (shared or not), and
    per-patient records the generator drew for outcomes to count (name → array, patients first)."""

    params: Any
    inputs: Regimen | InputSchedule
    records: dict[str, np.ndarray] = {}  # noqa: RUF012 (never mutated: a NamedTuple default)


class PatientGenerator(BaseModel):
    """Draws a block of virtual patients for a trial (subclass and register new kinds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: str

    def cohort(self, rng: np.random.Generator, size: int, inputs: Regimen) -> Cohort:
        """``size`` patients drawn from ``rng``, receiving the trial's shared ``inputs``."""
        raise NotImplementedError

    def cohort_of_blocks(
        self, streams: Sequence[tuple[np.random.Generator, int]], inputs: Regimen
    ) -> Cohort:
        """The patients of several blocks in order, block by block from its (stream, size).

        Must equal ``concatenate([cohort(rng, size, inputs) for rng, size in streams])`` (the
        default); a generator may override it to build and validate the parameters once."""
        return concatenate([self.cohort(rng, size, inputs) for rng, size in streams])


GENERATORS: dict[str, type[PatientGenerator]] = {}
"""Patient generator kinds a trial file can name, by `kind`."""

register_generator = registrar(GENERATORS)
"""Make a `PatientGenerator` subclass available to trial files (use as a class decorator)."""

_PK_FIELDS = tuple(f.name for f in dataclasses.fields(BaclofenPk))


@register_generator
class BaclofenVariability(PatientGenerator):
    """Typical baclofen PK with log-normal inter-individual variability (NONMEM's exponential η).

    Each varied parameter is θ · exp(η), η ~ N(0, ω²), ω² = ln(1 + CV²), so the median stays
    typical; η is clipped at ±`truncate_sd` SD so no draw is physiologically impossible.
    Draws: body weight first (paediatric), then one standard normal per varied parameter in
    the order of `BaclofenPk`'s fields.
    """

    kind: Literal["baclofen"] = "baclofen"
    origin: Literal["adult", "paediatric"] = "adult"
    weight_kg: float = Field(70.0, gt=0, lt=400)
    weight_cv: float = Field(0.0, ge=0, le=2)
    variability: dict[str, float] = Field(default_factory=dict)
    truncate_sd: float = Field(3.0, gt=0)

    @field_validator("variability")
    @classmethod
    def _known_parameters(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(_PK_FIELDS))
        if unknown:
            raise ValueError(f"unknown parameters {unknown}; known: {', '.join(_PK_FIELDS)}")
        if any(not 0 <= cv <= 2 for cv in value.values()):
            raise ValueError("a coefficient of variation must be between 0 and 2")
        return value

    def _lognormal(self, rng: np.random.Generator, size: int, cv: float) -> np.ndarray:
        eta = np.clip(rng.standard_normal(size), -self.truncate_sd, self.truncate_sd)
        return np.exp(np.sqrt(np.log1p(cv**2)) * eta)

    def _values(self, rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
        """Each `BaclofenPk` field's ``size`` values drawn from ``rng`` (not yet validated)."""
        if self.origin == "adult":
            typical = _typical_adult()
        else:
            weight = self.weight_kg * self._lognormal(rng, size, self.weight_cv)
            typical = BaclofenPk.paediatric(weight)
        values = {}
        for name in _PK_FIELDS:
            base = np.broadcast_to(np.asarray(getattr(typical, name), float), (size,))
            cv = self.variability.get(name)
            values[name] = base * self._lognormal(rng, size, cv) if cv else base.copy()
        return values

    def cohort(self, rng: np.random.Generator, size: int, inputs: Regimen) -> Cohort:
        return Cohort(BaclofenPk(**self._values(rng, size)), inputs)

    def cohort_of_blocks(
        self, streams: Sequence[tuple[np.random.Generator, int]], inputs: Regimen
    ) -> Cohort:
        """Same draws as block by block, but one `BaclofenPk` built and validated (the same
        checks, on the whole chunk's arrays at once) instead of one per block plus one for the
        concatenation."""
        parts = [self._values(rng, size) for rng, size in streams]
        return Cohort(
            BaclofenPk(**{name: np.concatenate([p[name] for p in parts]) for name in _PK_FIELDS}),
            inputs,
        )


@cache
def _typical_adult() -> BaclofenPk:
    """`BaclofenPk.adult()`, built (and validated) once: it is frozen and read, never changed."""
    return BaclofenPk.adult()


def concatenate(cohorts: Sequence[Cohort]) -> Cohort:
    """One cohort of several, patients in order (inputs shared, or per patient on one grid)."""
    first = cohorts[0]
    params = type(first.params)(
        **{
            f.name: np.concatenate(
                [
                    np.broadcast_to(
                        np.asarray(getattr(c.params, f.name), float), (c.params.n_patients,)
                    )
                    for c in cohorts
                ]
            )
            for f in dataclasses.fields(first.params)
        }
    )
    records = {key: np.concatenate([c.records[key] for c in cohorts]) for key in first.records}
    if all(c.inputs is first.inputs for c in cohorts):
        return Cohort(params, first.inputs, records)
    schedules = [c.inputs for c in cohorts]
    if not all(isinstance(s, InputSchedule) and s.batched for s in schedules):
        raise TypeError("cohorts with their own inputs need per-patient InputSchedules")
    return Cohort(
        params,
        InputSchedule(
            schedules[0].breakpoints_h,  # type: ignore[union-attr]
            np.concatenate([s.rates for s in schedules]),  # type: ignore[union-attr]
            np.concatenate([s.boluses for s in schedules]),  # type: ignore[union-attr]
        ),
        records,
    )
