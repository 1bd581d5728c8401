"""What happens to the pump over time, as data: fills, refills, boluses, revisions and faults.

Times are elapsed hours from the start of the therapy timeline; volumes mL; doses mcg;
concentrations mcg/mL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from itbtwin.errors import ProgramError
from itbtwin.pump._device import CatheterSpec

FAULT_KINDS: dict[str, str] = {
    "occlusion": "catheter: a share of the flow is blocked; the drug stays in the reservoir",
    "kink": "catheter: as an occlusion",
    "fracture": "catheter: a share of the drug leaks into the tissue (absorbed into plasma)",
    "disconnection": "catheter: as a fracture, usually all of it",
    "pocket_fill": "refill: a share of the injected volume goes into the pocket (subcutaneous)",
    "missed_refill": "refill: skipped, or late by delay",
    "wrong_concentration": "program: reprogrammed for another concentration than the reservoir's",
    "unit_slip": "program: the doses were entered per hour instead of per day (24×)",
    "mri": "pump: an MRI scan of duration, restart after delay (device default if unset)",
    "low_battery_reset": "pump: critical alarm, rate falls to the reset rate until reprogrammed",
    "premature_eri": "pump: the battery reaches its replacement indicator early",
    "battery_failure": "pump: premature end of service, delivery stops",
    "motor_stall": "pump: permanent motor stall, delivery stops",
}
"""Fault kinds the twin can inject, with what each does."""

CATHETER_FAULTS = ("occlusion", "kink", "fracture", "disconnection")
BOLUS_KINDS = ("clinician", "bridge", "priming")


def _check_time(what: str, *times: float | None) -> None:
    for t in times:
        if t is not None and not (math.isfinite(t) and t >= 0):
            raise ProgramError(f"{what}: times must be finite and >= 0 h, got {t}")


SMALLEST_FILL_ML = 0.1
"""The smallest refill: less than a syringe measures (0.1 mL) is a mistyped unit, not a refill
[assumption]; the records use the same bound (`store._bounds`)."""


@dataclass(frozen=True)
class Fill:
    """Solution put in the reservoir: `volume_ml` of `concentration_mcg_per_ml` (`product`)."""

    volume_ml: float
    concentration_mcg_per_ml: float
    product: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.volume_ml) and self.volume_ml > 0):
            raise ProgramError(f"a fill volume must be positive, got {self.volume_ml} mL")
        c = self.concentration_mcg_per_ml
        if not (math.isfinite(c) and c > 0):
            raise ProgramError(f"a fill concentration must be positive, got {c} mcg/mL")

    @property
    def dose_mcg(self) -> float:
        """Drug in the fill (mcg)."""
        return self.volume_ml * self.concentration_mcg_per_ml


@dataclass(frozen=True)
class Refill:
    """A refill visit at `at_h`: withdraw the residual, inject `fill`."""

    at_h: float
    fill: Fill

    def __post_init__(self) -> None:
        _check_time("refill", self.at_h)


@dataclass(frozen=True)
class Bolus:
    """A one-off bolus: ``clinician`` (`dose_mcg`), ``bridge`` or ``priming`` (volume from path)."""

    at_h: float
    kind: str
    duration_h: float
    dose_mcg: float = 0.0

    def __post_init__(self) -> None:
        _check_time("bolus", self.at_h)
        if self.kind not in BOLUS_KINDS:
            raise ProgramError(f"unknown bolus kind {self.kind!r}; known: {', '.join(BOLUS_KINDS)}")
        if not (math.isfinite(self.duration_h) and self.duration_h > 0):
            raise ProgramError("a bolus needs a positive duration")
        if self.kind == "clinician" and not self.dose_mcg > 0:
            raise ProgramError("a clinician bolus needs a positive dose (mcg)")


@dataclass(frozen=True)
class Revision:
    """Catheter revision at `at_h`: a new, empty `catheter` of `length_cm` (needs priming)."""

    at_h: float
    catheter: CatheterSpec
    length_cm: float

    def __post_init__(self) -> None:
        _check_time("catheter revision", self.at_h)
        self.catheter.volume_ml(self.length_cm)

    @property
    def volume_ml(self) -> float:
        """Internal volume of the new catheter (mL)."""
        return self.catheter.volume_ml(self.length_cm)


@dataclass(frozen=True)
class Fault:
    """A fault injected at `at_h` (see `FAULT_KINDS`).

    - `fraction`: share of flow blocked or lost (catheter faults), of the refill (pocket fill).
    - `until_h`: end of a catheter fault (None: until a revision or the end).
    - `duration_h`: MRI scan length; `delay_h`: MRI restart delay or refill lateness.
    - `concentration_mcg_per_ml`: the wrong concentration programmed.
    """

    kind: str
    at_h: float
    fraction: float = 1.0
    until_h: float | None = None
    duration_h: float = 0.0
    delay_h: float | None = None
    concentration_mcg_per_ml: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ProgramError(f"unknown fault {self.kind!r}; known: {', '.join(FAULT_KINDS)}")
        _check_time(f"fault {self.kind}", self.at_h, self.until_h, self.delay_h)
        if not 0 < self.fraction <= 1:
            raise ProgramError(
                f"fault {self.kind}: fraction must be in (0, 1], got {self.fraction}"
            )
        if self.until_h is not None and self.until_h <= self.at_h:
            raise ProgramError(f"fault {self.kind}: it must end after it starts")
        if self.kind == "mri" and not (math.isfinite(self.duration_h) and self.duration_h > 0):
            raise ProgramError("an MRI fault needs a positive scan duration")
        c = self.concentration_mcg_per_ml
        if self.kind == "wrong_concentration" and not (c is not None and c > 0):
            raise ProgramError("a wrong_concentration fault needs the concentration programmed")

    @property
    def on_catheter(self) -> bool:
        """True for occlusion, kink, fracture and disconnection."""
        return self.kind in CATHETER_FAULTS
