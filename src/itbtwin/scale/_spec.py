"""The virtual-trial description: a TOML file, validated once with messages that name the field.

name = "..."                       # what the trial asks
seed = 20261101                    # the whole population follows from it
duration_days = 30
output_step_h = 1.0
[population]                       # size, block_size (the unit of randomness), generator
size = 100_000
generator = { kind = "baclofen", variability = { cl_csf_ml_h = 0.3 } }
[[regimen]]                        # shared dose events, units checked ("500 mcg/day")
infusion = "500 mcg/day"
[[outcomes]]                       # what to collect, by registered kind
kind = "quantiles"
outputs = ["csf_lumbar", "plasma"]
[execution]                        # how to run: never changes the results
chunk_size = 8192
backend = "numba"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from itbtwin.errors import ItbError, TrialError
from itbtwin.patient import COMPACT
from itbtwin.scale._population import GENERATORS, PatientGenerator
from itbtwin.scale._summaries import OUTCOMES, Outcome
from itbtwin.sim import (
    DoseEvent,
    Regimen,
    bolus,
    check_output,
    check_systemic_dose,
    infusion,
    output_grid,
    repeated,
)
from itbtwin.units import parse_quantity
from itbtwin.user_files import load_toml


def _from_registry(registry: dict[str, Any], value: Any, what: str) -> Any:
    if not isinstance(value, dict) or "kind" not in value:
        return value
    if not isinstance(value["kind"], str) or value["kind"] not in registry:
        raise ValueError(f"unknown {what} kind {value['kind']!r}; known: {', '.join(registry)}")
    return registry[value["kind"]].model_validate(value)


class _Strict(BaseModel):
    # strict: a number written as text (`seed = "7"`, `size = "100"`) is refused, not converted
    # (issue 17); a whole number is still read for a float (`duration_days = 30`)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Dose(_Strict):
    """One shared dose event: a bolus ("50 mcg") or an infusion ("500 mcg/day"), optionally
    repeated `times` times every `every_h` hours; an infusion without `duration_h` runs to the end.
    """

    route: Literal["intrathecal", "oral", "subcutaneous"] = "intrathecal"
    bolus: str | None = None
    infusion: str | None = None
    start_h: float = Field(0.0, ge=0)
    duration_h: float | None = Field(None, gt=0)
    every_h: float | None = Field(None, gt=0)
    times: int = Field(1, ge=1)

    def _deliverable(self, mcg: float, what: str, unit: str) -> float:
        """`mcg` if a pump can give it intrathecally: at most what the fastest catalogue pump
        gives in a day with the strongest product (1e300 mcg/day filled the results with the
        histogram's top bin, issue 17); an oral or subcutaneous dose at most ten times the
        label's oral maximum a day (`sim.check_systemic_dose`)."""
        from itbtwin.clinic._titration import max_deliverable_mcg_per_day

        if self.route != "intrathecal":
            kind = what.split(" ", 1)[1]  # "bolus of", "infusion of"
            return check_systemic_dose(
                mcg, f"the {self.route} {kind}", TrialError, unit.replace("mcg", "mg")
            )
        if mcg > (most := max_deliverable_mcg_per_day()):
            raise TrialError(
                f"{what} {mcg:,.4g} {unit} is more than any catalogue pump gives intrathecally "
                f"in a day ({most:,.0f} mcg)"
            )
        return mcg

    def event(self, end_h: float) -> DoseEvent:
        """The dose event, units checked (a "mcg/L" daily dose is refused)."""
        if (self.bolus is None) == (self.infusion is None):
            raise TrialError("a dose is either a bolus or an infusion: give exactly one")
        if self.bolus is not None:
            amount = self._deliverable(parse_quantity(self.bolus, "dose"), "a bolus of", "mcg")
            if self.every_h is None:
                return bolus(amount, at_h=self.start_h, route=self.route)
            return repeated(
                amount,
                every_h=self.every_h,
                times=self.times,
                start_h=self.start_h,
                route=self.route,
            )
        duration = self.duration_h if self.duration_h is not None else end_h - self.start_h
        daily = parse_quantity(self.infusion or "", "daily_dose")
        event = infusion(
            self._deliverable(daily, "an infusion of", "mcg/day"),
            start_h=self.start_h,
            duration_h=duration,
            route=self.route,
        )
        if self.every_h is None:
            return event
        return DoseEvent(
            **{**vars(event), "interval_h": self.every_h, "additional": self.times - 1}
        )


class Population(_Strict):
    """How many patients, the block size of the random streams, and who they are."""

    size: int = Field(gt=0)
    block_size: int = Field(1024, gt=0)
    generator: PatientGenerator = Field(default_factory=lambda: GENERATORS["baclofen"]())

    @field_validator("generator", mode="before")
    @classmethod
    def _registered(cls, value: Any) -> Any:
        return _from_registry(GENERATORS, value, "generator")


class Execution(_Strict):
    """How to run (chunk size in patients, kernel backend); results never depend on it."""

    chunk_size: int = Field(4096, gt=0)
    backend: Literal["numba", "numpy", "jax"] = "numba"


class Trial(_Strict):
    """A virtual trial: population, shared regimen, duration, output grid, outcomes, seed."""

    name: str
    description: str = ""
    seed: int = Field(ge=0)
    duration_days: float = Field(gt=0)
    output_step_h: float = Field(1.0, gt=0)
    population: Population
    regimen: list[Dose] = Field(min_length=1)
    outcomes: list[Outcome] = Field(min_length=1)
    execution: Execution = Field(default_factory=Execution)

    @field_validator("outcomes", mode="before")
    @classmethod
    def _registered(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [_from_registry(OUTCOMES, item, "outcome") for item in value]

    @field_validator("outcomes")
    @classmethod
    def _known_outputs(cls, value: list[Outcome]) -> list[Outcome]:
        known = {o.name for o in COMPACT.outputs}
        for outcome in value:
            unknown = sorted(set(outcome.needs()) - known)
            if unknown:
                raise ValueError(f"unknown outputs {unknown}; known: {', '.join(sorted(known))}")
        return value

    @property
    def end_h(self) -> float:
        """Trial length, h."""
        return self.duration_days * 24.0

    def times_h(self) -> np.ndarray:
        """The output grid, h."""
        return output_grid(self.end_h, self.output_step_h)

    def shared_regimen(self) -> Regimen:
        """The dose events every patient receives."""
        return Regimen(dose.event(self.end_h) for dose in self.regimen)

    def outputs(self) -> tuple[str, ...]:
        """Model outputs the outcomes read, in model order."""
        needed = {name for outcome in self.outcomes for name in outcome.needs()}
        return tuple(o.name for o in COMPACT.outputs if o.name in needed)


def _explain(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "trial"
        lines.append(f"{where}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(lines)


def parse_trial(data: dict[str, Any], source: str = "trial") -> Trial:
    """Validate a trial description (the parsed TOML); errors name the field at fault."""
    try:
        trial = Trial.model_validate(data)
    except ValidationError as err:
        raise TrialError(f"{source}: {_explain(err)}") from None
    span = f"{source}: duration_days and output_step_h"
    check_output(trial.end_h, trial.output_step_h, span, TrialError)
    if trial.output_step_h > trial.end_h:  # a 1000-h step in a 3-day trial (issue 17)
        raise TrialError(
            f"{span}: the output step ({trial.output_step_h:g} h) is longer than the trial "
            f"({trial.end_h:g} h): give a smaller output_step_h"
        )
    _check_tallies(trial, source)
    try:
        trial.shared_regimen()
    except ItbError as err:
        raise TrialError(f"{source}: regimen: {err}") from None
    _check_within(trial, source)
    return trial


MAX_TALLY_BYTES = 2**30
"""The most memory one outcome's tally may take (1 GiB, held once by every worker): a year of
hourly quantiles of three outputs takes 400 MB; an output step of 0.0001 h asked for 31 GB and
ended in a NumPy `MemoryError` (issue 17)."""


def _check_tallies(trial: Trial, source: str) -> None:
    """Refuse an outcome whose tally (counts per output, time and bin) would not fit in memory."""
    times = trial.times_h()
    for i, outcome in enumerate(trial.outcomes):
        size = outcome.tally_bytes(times)
        if size > MAX_TALLY_BYTES:
            raise TrialError(
                f"{source}: outcomes[{i}] ({outcome.kind}) would count {size / 2**30:,.1f} GiB "
                f"over {times.size:,} output times; at most {MAX_TALLY_BYTES / 2**30:g} GiB: "
                "use a larger output_step_h or every_h, or fewer outputs"
            )


def _check_within(trial: Trial, source: str) -> None:
    """Refuse a dose that starts after the trial ends: it was run without a word, as a trial
    without that dose (issue 17; `pk` refuses a dose after its end the same way). A steady-state
    window longer than the trial is the whole trial, by design."""
    for i, dose in enumerate(trial.regimen):
        if dose.start_h >= trial.end_h:
            raise TrialError(
                f"{source}: regimen[{i}].start_h {dose.start_h:,.10g} h is at or after the end "
                f"of the trial ({trial.end_h:,.10g} h): lengthen duration_days or start earlier"
            )


def load_trial(path: str | Path) -> Trial:
    """Read and validate a trial TOML file."""
    path = Path(path)
    if not path.exists():
        raise TrialError(f"no trial file at {path}")
    return parse_trial(load_toml(path, "trial file", TrialError), str(path))
