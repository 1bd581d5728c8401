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
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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

    def follow_up_h(self, simulated_h: float) -> float:
        """Follow-up per patient (h) the trial's rates are counted over: by default the simulated
        grid; a generator whose records span another follow-up (drawn, not simulated) says so."""
        return simulated_h


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
    weight_kg: float | None = Field(None, gt=0, lt=400)
    """Median body weight (kg) of a paediatric population (required: none is assumed, issue 12);
    adult PK does not depend on weight."""
    weight_cv: float = Field(0.0, ge=0, le=2)
    variability: dict[str, float] = Field(default_factory=dict)
    truncate_sd: float = Field(3.0, gt=0)

    @model_validator(mode="after")
    def _children_have_a_weight(self) -> BaclofenVariability:
        if self.origin == "paediatric" and self.weight_kg is None:
            raise ValueError(
                "a paediatric population needs weight_kg: a child's PK scales with weight "
                "(he2014) and no weight is assumed"
            )
        return self

    @field_validator("variability")
    @classmethod
    def _known_parameters(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(_PK_FIELDS))
        if unknown:
            raise ValueError(f"unknown parameters {unknown}; known: {', '.join(_PK_FIELDS)}")
        if any(not 0 <= cv <= 2 for cv in value.values()):
            raise ValueError("a coefficient of variation must be between 0 and 2")
        return value

    def _spread(self, eta: np.ndarray, cv: float) -> np.ndarray:
        """exp(ω η) with ω² = ln(1 + CV²), η clipped at ±`truncate_sd`: the factor on θ."""
        return np.exp(np.sqrt(np.log1p(cv**2)) * np.clip(eta, -self.truncate_sd, self.truncate_sd))

    def _draws(
        self, streams: Sequence[tuple[np.random.Generator, int]]
    ) -> tuple[np.ndarray | None, dict[str, np.ndarray]]:
        """The standard normals of several blocks, each block from its own stream in the order
        above: (weight's η or None for adults, {varied parameter: η}), patients in order."""
        n = sum(size for _, size in streams)
        varied = [name for name in _PK_FIELDS if self.variability.get(name)]
        weight = None if self.origin == "adult" else np.empty(n)
        eta = np.empty((len(varied), n))
        start = 0
        for rng, size in streams:
            block = slice(start, start + size)
            if weight is not None:
                rng.standard_normal(out=weight[block])
            for row in eta[:, block]:
                rng.standard_normal(out=row)
            start += size
        return weight, dict(zip(varied, eta, strict=True))

    def cohort(self, rng: np.random.Generator, size: int, inputs: Regimen) -> Cohort:
        return self.cohort_of_blocks([(rng, size)], inputs)

    def cohort_of_blocks(
        self, streams: Sequence[tuple[np.random.Generator, int]], inputs: Regimen
    ) -> Cohort:
        """Every block's draws from its own stream, then one vectorised pass over the chunk and
        one `BaclofenPk` built and validated (elementwise: a patient's values do not depend on
        the chunk they are drawn in)."""
        weight_eta, eta = self._draws(streams)
        n = sum(size for _, size in streams)
        if weight_eta is None:
            typical = _typical_adult()
        else:
            assert self.weight_kg is not None  # `_children_have_a_weight`
            typical = BaclofenPk.paediatric(
                self.weight_kg * self._spread(weight_eta, self.weight_cv)
            )
        values = {}
        for name in _PK_FIELDS:
            base = np.broadcast_to(np.asarray(getattr(typical, name), float), (n,))
            cv = self.variability.get(name)
            values[name] = base * self._spread(eta[name], cv) if cv else base.copy()
        return Cohort(BaclofenPk(**values), inputs)


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
