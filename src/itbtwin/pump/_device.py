"""What an implanted pump is: a frozen device definition whose every number names its source.

Numbers the reference marks "(from memory, verify)" are kept, but flagged: their `Provenance` has
``verified=False`` and `DeviceSpec.unverified()` lists them, so tables and reports can show them as
configurable defaults rather than facts. Volumes mL, rates mL/day, times h unless the name says.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from itbtwin import sources
from itbtwin.errors import DeviceError

MriBehaviour = Literal["stall", "valve_dump", "fav_lock", "unaffected"]
"""What a strong magnetic field does: stop the motor (SynchroMed), open the valves and dump the
reservoir (Prometra I), close the flow-activated valve until reset (Prometra II), or nothing."""

MRI_BEHAVIOURS = ("stall", "valve_dump", "fav_lock", "unaffected")
HOURS_PER_YEAR = 365.25 * 24
"""A Julian year in hours, the year of pint and of the scenario durations."""
FIRST_PROGRAMMABLE_PUMP = date(1988, 1, 1)
"""No programmable intrathecal pump before 1988: SynchroMed was first approved in 1988
[synchromed2:S3; pumps.md §1.1]. The records' earliest implant and a scenario's earliest start."""
CATHETER_LENGTH_CM = (1.0, 200.0)
"""An implanted intrathecal catheter is 1-200 cm [assumption: catalogue catheters are cut to
length from kits of under 150 cm]; 10 km is a mistyped unit (issue 17). The records use the same
bound (`store._bounds`)."""
DOSE_RESOLUTION_MCG_PER_DAY = 0.01
"""The smallest step of a programmed daily dose, mcg/day: the default of every catalogue pump
(from memory, verify: clinician programmers take doses to two decimals; no readable IFU page)."""


def programmable_dose(
    mcg_per_day: float, resolution: float = DOSE_RESOLUTION_MCG_PER_DAY, *, down: bool = True
) -> float:
    """A daily dose (mcg/day) as the clinician programs it: a whole number of ``resolution``
    steps, rounded down (so a step never exceeds the percentage asked) or to the nearest.

    The division is rounded to 6 decimals first, so 100 × 1.15 = 114.99999999999999 is 115, not
    114.99 (issue 14)."""
    if not (math.isfinite(mcg_per_day) and resolution > 0):
        raise DeviceError("a dose and a positive programming resolution are needed")
    steps = round(mcg_per_day / resolution, 6)
    whole = math.floor(steps) if down else round(steps)
    decimals = max(0, -math.floor(math.log10(resolution)) + 1)
    return round(whole * resolution, decimals)


@dataclass(frozen=True)
class Provenance:
    """Where a device number comes from: a source key, and whether it was read (verified)."""

    source: str
    verified: bool = True

    def __post_init__(self) -> None:
        sources.check(self.source)


@dataclass(frozen=True)
class DeviceSpec:
    """One pump model. ``provenance`` maps each numeric field to its `Provenance`.

    - `kind`: ``programmable`` (motor or valve metered) or ``constant_flow`` (gas driven, no
      battery, no alarms; the dose is set through the concentration).
    - `fixed_rate_ml_per_day`: the factory rate of a constant-flow pump, else None.
    - `flex_step_limit`: steps per 24 h schedule; `critical_repeat_h`/`single_repeat_h`: how often
      a two-tone / single-tone alarm sounds again.
    - `eos_h`: automatic end of service after implant (None: no battery); `eri_to_stop_h`: from
      the elective replacement indicator to the stop.
    - `flow_bias`, `flow_sd`: relative error of delivered over programmed volume per fill.
    - `pocket_fill_threshold_ml`: post-refill discrepancy that flags a possible pocket fill.
    - `dose_resolution_mcg_per_day`: the step in which a daily dose is programmed.
    """

    key: str
    name: str
    maker: str
    kind: Literal["programmable", "constant_flow"]
    reservoir_ml: float
    min_rate_ml_per_day: float
    max_rate_ml_per_day: float
    bolus_rate_ml_per_h: float
    flex_step_limit: int
    low_reservoir_alarm_ml: float
    low_alarm_range_ml: tuple[float, float]
    empty_alarm_ml: float
    critical_repeat_h: float
    single_repeat_h: float
    eos_h: float | None
    eri_to_stop_h: float
    stability_h: float
    pump_volume_ml: float
    reset_rate_ml_per_day: float
    flow_bias: float
    flow_sd: float
    labelled_accuracy: float
    mri: MriBehaviour
    mri_restart_delay_h: float
    pocket_fill_threshold_ml: float
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    fixed_rate_ml_per_day: float | None = None
    note: str = ""
    dose_resolution_mcg_per_day: float = DOSE_RESOLUTION_MCG_PER_DAY

    def __post_init__(self) -> None:
        numbers = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for name, value in numbers.items():
            number = isinstance(value, float | int) and not isinstance(value, bool)
            if number and (not math.isfinite(value) or (value < 0 and name != "flow_bias")):
                raise DeviceError(f"{self.key}: {name} must be a finite number >= 0")
        if self.kind not in ("programmable", "constant_flow"):
            raise DeviceError(f"{self.key}: kind must be programmable or constant_flow")
        if self.mri not in MRI_BEHAVIOURS:
            raise DeviceError(f"{self.key}: mri must be one of {', '.join(MRI_BEHAVIOURS)}")
        if not 0 < self.min_rate_ml_per_day <= self.max_rate_ml_per_day:
            raise DeviceError(f"{self.key}: rate limits must satisfy 0 < min <= max (mL/day)")
        low, high = self.low_alarm_range_ml
        if self.reservoir_ml <= 0 or not low <= self.low_reservoir_alarm_ml <= high:
            raise DeviceError(
                f"{self.key}: low-reservoir alarm {self.low_reservoir_alarm_ml:g} mL is outside "
                f"its range {low:g}-{high:g} mL (or the reservoir is empty)"
            )
        if self.kind == "constant_flow" and not self.fixed_rate_ml_per_day:
            raise DeviceError(f"{self.key}: a constant-flow pump needs fixed_rate_ml_per_day")
        if self.dose_resolution_mcg_per_day <= 0:
            raise DeviceError(f"{self.key}: the dose resolution must be positive (mcg/day)")
        if self.flex_step_limit < 1 or self.bolus_rate_ml_per_h <= 0:
            raise DeviceError(f"{self.key}: flex_step_limit and bolus rate must be positive")
        for name in self.provenance:
            if name not in numbers:
                raise DeviceError(f"{self.key}: provenance names an unknown field {name!r}")

    @property
    def has_alarms(self) -> bool:
        """Constant-flow pumps have no electronics, hence no alarms and no battery."""
        return self.kind == "programmable"

    def programmable_dose(self, mcg_per_day: float, *, down: bool = True) -> float:
        """A daily dose (mcg/day) in this pump's programming steps (`programmable_dose`)."""
        return programmable_dose(mcg_per_day, self.dose_resolution_mcg_per_day, down=down)

    def unverified(self) -> tuple[str, ...]:
        """Fields whose value is a "(from memory, verify)" default, not a read fact."""
        return tuple(name for name, p in self.provenance.items() if not p.verified)

    def source_of(self, name: str) -> Provenance:
        """The provenance of a field; fields without one are modelling assumptions."""
        return self.provenance.get(name, Provenance("assumption", verified=False))

    def with_values(self, source: str, verified: bool, **values: object) -> DeviceSpec:
        """A copy with some values replaced, each recorded with the given provenance."""
        unknown = set(values) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise DeviceError(f"{self.key}: unknown device fields {', '.join(sorted(unknown))}")
        provenance = dict(self.provenance)
        provenance.update({name: Provenance(source, verified) for name in values})
        return dataclasses.replace(self, provenance=provenance, **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CatheterSpec:
    """An intrathecal catheter model; `volume_ml_per_cm` is its internal volume per length."""

    model: str
    name: str
    volume_ml_per_cm: float
    provenance: Provenance
    note: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.volume_ml_per_cm) and self.volume_ml_per_cm > 0):
            raise DeviceError(f"catheter {self.model}: volume per cm must be positive")

    def volume_ml(self, length_cm: float) -> float:
        """Internal volume (mL) of an implanted length (cm)."""
        low, high = CATHETER_LENGTH_CM
        if not (math.isfinite(length_cm) and low <= length_cm <= high):
            raise DeviceError(
                f"catheter {self.model}: a catheter length of {length_cm:.10g} cm is impossible "
                f"(expected {low:g}-{high:g} cm)"
            )
        return self.volume_ml_per_cm * length_cm
