"""One pump's therapy timeline: device, catheter, fills, program history, boluses and faults.

`Therapy` is validated whole when built (nothing is half-run): every program against the device,
every volume against the reservoir, every time inside the span. `resolved()` applies the faults
that change the plan itself (missed refills, unit slips, wrong concentrations) before delivery.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

from itbtwin.errors import ProgramError
from itbtwin.pump._actions import Bolus, Fault, Fill, Refill, Revision
from itbtwin.pump._bridge import BridgePlan, bridge_plan
from itbtwin.pump._clock import PumpClock
from itbtwin.pump._device import CatheterSpec, DeviceSpec
from itbtwin.pump._program import Program

Accuracy = Literal["ideal", "typical", "random"]
ACCURACY_MODES = ("ideal", "typical", "random")
"""Flow accuracy: exactly as programmed; the device's mean bias; bias plus random error per fill."""


@dataclass(frozen=True)
class Therapy:
    """Everything the pump will do over `span_h` hours, from its state at hour 0.

    `programs` are (elapsed hour, program) with one at hour 0; `pump_age_h` is how long the pump
    has been implanted at hour 0 (battery); `primed` False means an empty catheter at hour 0;
    `program_before_start` the program the pump ran before hour 0, when it differs from the
    hour-0 one (a history from a refill whose new program took effect with it: the bridge's old
    program), else None.
    """

    device: DeviceSpec
    catheter: CatheterSpec
    catheter_length_cm: float
    fill: Fill
    programs: tuple[tuple[float, Program], ...]
    clock: PumpClock
    span_h: float
    primed: bool = True
    refills: tuple[Refill, ...] = ()
    boluses: tuple[Bolus, ...] = ()
    demands: tuple[float, ...] = ()
    faults: tuple[Fault, ...] = ()
    interrogations: tuple[float, ...] = ()
    revisions: tuple[Revision, ...] = ()
    pump_age_h: float = 0.0
    accuracy: Accuracy = "ideal"
    seed: int | None = None
    origin: str = "spinal"
    program_before_start: Program | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.span_h) and self.span_h > 0):
            raise ProgramError("the therapy span must be positive")
        if self.accuracy not in ACCURACY_MODES:
            raise ProgramError(f"accuracy must be one of {', '.join(ACCURACY_MODES)}")
        if not self.programs or self.programs[0][0] != 0:
            raise ProgramError("the pump needs a program from hour 0")
        starts = [t for t, _ in self.programs]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ProgramError("program changes must be in time order, one per time")
        for _, program in self.programs:
            program.check_device(self.device)
        for fill in (self.fill, *(r.fill for r in self.refills)):
            if fill.volume_ml > self.device.reservoir_ml:
                raise ProgramError(
                    f"a fill of {fill.volume_ml:g} mL does not fit the "
                    f"{self.device.reservoir_ml:g} mL reservoir of {self.device.name}"
                )
        self.catheter.volume_ml(self.catheter_length_cm)
        if self.pump_age_h < 0:
            raise ProgramError("the pump age at the start must be >= 0")
        times = [
            *starts,
            *(r.at_h for r in self.refills),
            *(b.at_h for b in self.boluses),
            *self.demands,
            *(f.at_h for f in self.faults),
            *self.interrogations,
            *(r.at_h for r in self.revisions),
        ]
        late = [t for t in times if not 0 <= t <= self.span_h]
        if late:
            raise ProgramError(f"an event at {late[0]:g} h lies outside the {self.span_h:g} h span")
        refill_times = {r.at_h for r in self.refills}
        for fault in self.faults:
            if fault.kind in ("pocket_fill", "missed_refill") and fault.at_h not in refill_times:
                raise ProgramError(f"the {fault.kind} fault at {fault.at_h:g} h names no refill")
        for bolus in self.boluses:
            self.bolus_volume_ml(bolus)

    def program_at(self, t_h: float) -> Program:
        """The program in force at an elapsed hour."""
        return [p for start, p in self.programs if start <= t_h][-1]

    def program_before(self, t_h: float) -> Program:
        """The program in force just before an elapsed hour (at hour 0 `program_before_start`,
        else the hour-0 program)."""
        earlier = [p for start, p in self.programs if start < t_h]
        return earlier[-1] if earlier else (self.program_before_start or self.programs[0][1])

    def bridge_plan(self, at_h: float) -> BridgePlan:
        """The bridge bolus of a concentration change at ``at_h``: the old program's rate over
        pump plus catheter (`pump._bridge`, from memory, verify)."""
        return bridge_plan(self.device, self.catheter_ml_at(at_h), self.program_before(at_h))

    def catheter_ml_at(self, t_h: float) -> float:
        """Internal volume (mL) of the catheter implanted at an elapsed hour."""
        done = [r for r in self.revisions if r.at_h <= t_h]
        if done:
            return done[-1].volume_ml
        return self.catheter.volume_ml(self.catheter_length_cm)

    def bolus_volume_ml(self, bolus: Bolus) -> float:
        """Volume (mL) a bolus pumps: dose ÷ programmed concentration (clinician); the catheter
        (priming); or pump plus catheter (bridge) [pumps.md §7, synchromed2:S13, S15]."""
        if bolus.kind == "clinician":
            volume = bolus.dose_mcg / self.program_at(bolus.at_h).concentration_mcg_per_ml
        elif bolus.kind == "priming":
            volume = self.catheter_ml_at(bolus.at_h)
        else:
            volume = self.device.pump_volume_ml + self.catheter_ml_at(bolus.at_h)
        if volume / bolus.duration_h > self.device.bolus_rate_ml_per_h * (1 + 1e-9):
            raise ProgramError(
                f"a {bolus.kind} bolus of {volume:.3g} mL over {bolus.duration_h:g} h is faster "
                f"than the {self.device.bolus_rate_ml_per_h:g} mL/h of {self.device.name}"
            )
        return volume

    def resolved(self) -> Therapy:
        """The plan after plan-changing faults: missed or late refills (a pocket fill follows its
        refill), unit slips and wrong concentrations (each a program change at the fault's time)."""
        refills = list(self.refills)
        programs = dict(self.programs)
        moved: dict[float, float | None] = {}
        for fault in self.faults:
            if fault.kind == "missed_refill":
                visit = next((r for r in refills if r.at_h == fault.at_h), None)
                if visit is None:  # a second fault on the same refill: StopIteration (issue 17)
                    raise ProgramError(
                        f"the refill at {fault.at_h:g} h is missed twice: give one missed_refill "
                        "fault per refill"
                    )
                refills.remove(visit)
                moved[fault.at_h] = None
                if fault.delay_h is not None and fault.at_h + fault.delay_h <= self.span_h:
                    moved[fault.at_h] = fault.at_h + fault.delay_h
                    refills.append(dataclasses.replace(visit, at_h=fault.at_h + fault.delay_h))
            elif fault.kind == "unit_slip":
                programs[fault.at_h] = self.program_at(fault.at_h).unit_slipped()
            elif fault.kind == "wrong_concentration":
                c = fault.concentration_mcg_per_ml or 0.0
                programs[fault.at_h] = self.program_at(fault.at_h).with_concentration(c)
        for start, program in programs.items():
            try:
                program.check_device(self.device)
            except ProgramError as err:
                raise ProgramError(f"the program changed at {start:g} h: {err}") from None
        kept = []
        for f in self.faults:
            if f.kind == "pocket_fill" and f.at_h in moved:
                new = moved[f.at_h]
                if new is not None:
                    kept.append(dataclasses.replace(f, at_h=new))
            elif f.kind != "missed_refill":
                kept.append(f)
        return dataclasses.replace(
            self,
            refills=tuple(sorted(refills, key=lambda r: r.at_h)),
            programs=tuple(sorted(programs.items(), key=lambda item: item[0])),
            faults=tuple(sorted(kept, key=lambda f: f.at_h)),
        )
