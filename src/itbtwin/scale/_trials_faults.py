"""Catheter faults at published rates and how long they stay undetected (`catheter_faults`).

Rates: `itbtwin.pump.FAULT_RATES` (feller2021, derived: about 0.02 catheter complications per
patient-year, 5 occlusions : 2 fractures : 1 disconnection : 1 kink). Each kind is a Poisson
process over `follow_up_years`: the count is Poisson(rate × years) and the first fault of any
catheter kind comes after an exponential wait with the summed rate, its kind chosen in
proportion to the rates (the same process `pump.draw_faults` draws one pump at a time).

Detection of the first fault (declared mechanism; every choice below is configurable):

- A catheter fault stops delivery to the CSF. Withdrawal signs are recognised `symptom_delay_h`
  after the fault, drawn uniform in `SEVERE_WINDOW_H` (24-72 h: advanced withdrawal evolves over
  1-3 days, neurosurgerywiki), unless the signs are missed or not put down to the pump
  (probability `missed_symptoms_share`, assumption 0.3).
- At the next refill the residual volume tells: an occlusion or kink leaves more drug than
  expected (a volume discrepancy); a fracture or disconnection empties the reservoir as
  programmed but the clinic finds the effect gone (assumption: both found at the refill).
  The refill interval is uniform in 2-6 months (pumps.md §5, [S77] "every 2-6 months"), the
  fault at a uniform phase of it.
- Detection is the earlier of the two. Recorded: `detection_days` (NaN without a fault),
  `detected_by_refill` (0/1), counts per kind and `follow_up_h`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from itbtwin.patient import generate_population
from itbtwin.patient._signals import SEVERE_WINDOW_H
from itbtwin.pump import FAULT_RATES
from itbtwin.scale._population import Cohort, PatientGenerator, register_generator
from itbtwin.scale._summaries import HOURS_PER_YEAR
from itbtwin.sim import Regimen

CATHETER_FAULTS = ("occlusion", "kink", "fracture", "disconnection")
"""Catheter fault kinds of `FAULT_RATES`; the first two block flow (seen as residual volume)."""
REFILL_INTERVAL_DAYS = (60.0, 180.0)
"""Refill every 2-6 months (pumps.md §5, [S77]; synchromed2)."""


@register_generator
class CatheterFaults(PatientGenerator):
    """Spinal-origin patients with catheter faults drawn at `FAULT_RATES` and their detection."""

    kind: Literal["catheter_faults"] = "catheter_faults"
    group: Literal["spinal", "cerebral", "paediatric"] = "spinal"
    follow_up_years: float = Field(5.0, gt=0, le=50)
    rate_scale: float = Field(1.0, ge=0)
    missed_symptoms_share: float = Field(0.3, ge=0, le=1)
    refill_interval_days: tuple[float, float] = REFILL_INTERVAL_DAYS

    def follow_up_h(self, simulated_h: float) -> float:
        """The drawn follow-up (`follow_up_years`, whole hours as in the records), not the grid."""
        return float(round(self.follow_up_years * HOURS_PER_YEAR))

    def cohort(self, rng: np.random.Generator, size: int, inputs: Regimen) -> Cohort:
        population = generate_population(size, self.group, rng)
        per_year = np.array([FAULT_RATES[k].per_year for k in CATHETER_FAULTS]) * self.rate_scale
        counts = rng.poisson(per_year * self.follow_up_years, (size, len(CATHETER_FAULTS)))
        total = per_year.sum()
        first_h = rng.exponential(HOURS_PER_YEAR / total if total > 0 else np.inf, size)
        kind = rng.choice(len(CATHETER_FAULTS), size, p=per_year / total if total > 0 else None)
        symptom_h = rng.uniform(*SEVERE_WINDOW_H, size)
        missed = rng.random(size) < self.missed_symptoms_share
        interval_h = 24 * rng.uniform(*self.refill_interval_days, size)
        refill_h = interval_h * rng.random(size)
        in_follow_up = first_h < self.follow_up_years * HOURS_PER_YEAR
        by_refill = missed | (refill_h < symptom_h)
        detection_h = np.where(by_refill, refill_h, symptom_h)
        records = {
            "detection_days": np.where(in_follow_up, detection_h / 24, np.nan),
            "detected_by_refill": (in_follow_up & by_refill).astype(np.int64),
            "first_fault": in_follow_up.astype(np.int64),
            "follow_up_h": np.full(size, round(self.follow_up_years * HOURS_PER_YEAR), np.int64),
        }
        for i, name in enumerate(CATHETER_FAULTS):
            records[name] = counts[:, i].astype(np.int64)
            records[f"first_is_{name}"] = (in_follow_up & (kind == i)).astype(np.int64)
        return Cohort(population.pk, inputs, records)
