"""The bridge bolus after a concentration change: one definition for the twin and the clinic.

After a refill with another concentration, the pump and catheter still hold the old solution. A
bridge bolus, as clinician programmers describe it, keeps delivering that old solution at the old
dose rate (the old program's volume rate) until the new solution reaches the catheter tip; then
the new prescription starts. So it lasts

    duration = (pump internal volume + catheter volume) ÷ old volume rate

e.g. 0.31 mL at 0.2 mL/day: 1.55 days. The reference requires a bridge bolus [synchromed2:S15]
and gives its volume as pump plus catheter [pumps.md §8.8]; the rate and duration are
*(from memory, verify)*: no readable manual page gives them (`BRIDGE_SOURCE`). The priming bolus
after implant or revision (into an empty catheter) is a different, fast bolus.
"""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin.display import format_elapsed_h
from itbtwin.errors import ProgramError
from itbtwin.pump._device import DeviceSpec
from itbtwin.pump._program import Program

BRIDGE_SOURCE = "synchromed2:S15"
"""The bridge is required [S15]; its old-rate timing is from memory, verify (`BRIDGE_VERIFIED`)."""
BRIDGE_VERIFIED = False
"""No manual page in the reference confirms the old-rate model: a configurable default."""


@dataclass(frozen=True)
class BridgePlan:
    """A bridge bolus: `volume_ml` (pump + catheter) at the old `ml_per_day` (= old mcg/day)."""

    volume_ml: float
    ml_per_day: float
    old_mcg_per_day: float
    old_concentration_mcg_per_ml: float

    @property
    def duration_h(self) -> float:
        """How long the old solution runs at the old rate: volume ÷ rate (h)."""
        return self.volume_ml / self.ml_per_day * 24

    def describe(self) -> str:
        """One line a clinician reads: volume, rate, dose and how long."""
        return (
            f"bridge bolus: {self.volume_ml:.3g} mL of {self.old_concentration_mcg_per_ml:g} "
            f"mcg/mL at the old {self.ml_per_day:.4g} mL/day ({self.old_mcg_per_day:.4g} "
            f"mcg/day) for {format_elapsed_h(self.duration_h)}, until the new solution reaches "
            "the tip (from memory, verify)"
        )


def weekly_ml_per_day(program: Program) -> float:
    """The program's mean volume rate over the 7 weekdays (mL/day), periodic boluses included."""
    return sum(program.daily_volume_ml(day) for day in range(7)) / 7


def bridge_plan(device: DeviceSpec, catheter_ml: float, old: Program) -> BridgePlan:
    """The bridge after a concentration change from the ``old`` program.

    **Arguments:**
    - `device`: the pump (its internal volume, mL).
    - `catheter_ml`: the implanted catheter's internal volume (mL).
    - `old`: the program in force before the change (its volume rate, mL/day, and concentration).

    **Returns:** a `BridgePlan` (volume mL, rate mL/day, duration h).
    """
    rate = weekly_ml_per_day(old)
    if not rate > 0:
        raise ProgramError("a bridge bolus needs the old program to deliver: it runs at 0 mL/day")
    volume = device.pump_volume_ml + catheter_ml
    return BridgePlan(
        volume, rate, rate * old.concentration_mcg_per_ml, old.concentration_mcg_per_ml
    )
