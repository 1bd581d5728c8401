"""A proposed program change as the safety check and the dry run take it: what is in the pump
now (program, reservoir, device, patient) and what the clinician proposes."""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin.pump import DeviceSpec, Fill, Program


@dataclass(frozen=True)
class ProgramChange:
    """What is in the pump now and what the clinician proposes.

    - `current`, `proposed`: the programs (doses mcg/day, concentration told to the pump mcg/mL).
    - `reservoir_mcg_per_ml`: what the reservoir holds now; `refill`: the proposed refill, if any.
    - `device`; patient `origin` and `age_years`; `hours_since_last_change` (h, None: unknown);
      `phase` titration (the pump guard: +30% spinal, +15% cerebral/children) or maintenance.
    - `bridge_bolus`, `priming_bolus`: whether the proposal programs them; `catheter_empty`: a new
      implant or catheter revision (empty catheter).
    - `next_refill_days`: the planned interval to the next refill (d), None: not planned yet.
    - `reservoir_ml`: what the pump calculates the reservoir holds at the change (mL; None: not
      known); `empty_for_h`: how long it has been empty then (h; None: it holds drug).
    """

    current: Program
    proposed: Program
    reservoir_mcg_per_ml: float
    device: DeviceSpec
    origin: str = "spinal"
    age_years: float = 40.0
    hours_since_last_change: float | None = None
    phase: str = "titration"
    refill: Fill | None = None
    bridge_bolus: bool = False
    priming_bolus: bool = False
    catheter_empty: bool = False
    next_refill_days: float | None = None
    reservoir_ml: float | None = None
    empty_for_h: float | None = None

    @property
    def holds_mcg_per_ml(self) -> float:
        """The concentration in the reservoir once the change is done (mcg/mL)."""
        return self.refill.concentration_mcg_per_ml if self.refill else self.reservoir_mcg_per_ml
