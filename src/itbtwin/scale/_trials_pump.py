"""A pump reservoir running down to its low-reservoir alarm, refilled after it (`reservoir_alarm`).

Mechanism (declared; pumps.md §1.5 [S25], §5):

- Patients: `generate_population` (group), programmed at their maintenance dose (mcg/day) with
  drug at `concentration_mcg_ml` (assumption 2000: a label concentration), in a
  `reservoir_ml` pump (20 or 40 mL, synchromed2). The starting residual is uniform between
  `start_low_ml` and full (assumption: patients join at any point of their refill cycle).
- Delivery falters near empty (the [S25] observation: 21/88 patients had withdrawal symptoms
  1-7 days before the residual reached a mean 2.7 mL, range 2.1-3.8, with the 2 mL alarm).
  Assumption: in a share `susceptible_share` of pumps (default 21/88, [S25], derived), below a
  per-patient residual `falter_ml` drawn uniform in [S25]'s 2.1-3.8 mL range (derived), the pump
  delivers `falter_fraction` (assumption 0.3) of the programmed dose; the rest never falter.
- The low-reservoir alarm sounds once the residual is at or below `alarm_ml`; the refill visit
  comes `delay` days later, log-normal with median `refill_delay_median_days` and CV
  `refill_delay_cv` (assumption 4 days, 0.8), one draw per refill cycle, and fills the reservoir.
  Drug stability also forces a refill `stability_days` after a fill (180, pumps.md §5 [S2]).
- The reservoir is stepped once a day for all patients at once (vectorised over patients):
  the kernel gets a per-patient `InputSchedule` with daily breakpoints.

Every random draw has a fixed shape independent of the alarm volume, so two trials differing only
in `alarm_ml` follow the same patients (a paired comparison). Records: `need_ec50_ng_ml` (EC50 x
rise factor), `alarms`, `refills`, `falter_days`, `follow_up_h`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from itbtwin.patient import COMPACT, generate_population
from itbtwin.scale._population import Cohort, PatientGenerator, register_generator
from itbtwin.sim import InputSchedule, Regimen

FALTER_RANGE_ML = (2.1, 3.8)
"""Residual volumes at which [S25]'s patients had withdrawal symptoms (pumps.md §1.5)."""
_MAX_CYCLES = 32
_LUMBAR = COMPACT.states.index("lumbar")


@register_generator
class ReservoirAlarm(PatientGenerator):
    """Pumps emptying towards their low-reservoir alarm; refills after the alarm (see module)."""

    kind: Literal["reservoir_alarm"] = "reservoir_alarm"
    group: Literal["spinal", "cerebral", "paediatric"] = "spinal"
    days: int = Field(365, gt=0, le=3650)
    alarm_ml: float = Field(2.0, gt=0)
    reservoir_ml: float = Field(20.0, gt=0)
    concentration_mcg_ml: float = Field(2000.0, gt=0)
    start_low_ml: float = Field(4.5, gt=0)
    falter_ml: tuple[float, float] = FALTER_RANGE_ML
    falter_fraction: float = Field(0.3, ge=0, le=1)
    susceptible_share: float = Field(21 / 88, ge=0, le=1)
    refill_delay_median_days: float = Field(4.0, gt=0)
    refill_delay_cv: float = Field(0.8, ge=0)
    stability_days: int = Field(180, gt=0)

    def _draws(self, rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
        sigma = np.sqrt(np.log1p(self.refill_delay_cv**2))
        return {
            "start": rng.uniform(self.start_low_ml, self.reservoir_ml, size),
            "falter": np.where(
                rng.random(size) < self.susceptible_share, rng.uniform(*self.falter_ml, size), 0.0
            ),
            "delay": np.round(
                self.refill_delay_median_days
                * np.exp(sigma * rng.standard_normal((size, _MAX_CYCLES)))
            ),
        }

    def run_down(self, dose: np.ndarray, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Step every pump one day at a time: delivered share per day (n, days) and counts."""
        n = dose.size
        ml_per_day = dose / self.concentration_mcg_ml
        residual, falter = draws["start"].copy(), draws["falter"]
        fraction = np.ones((n, self.days))
        refill_day = np.full(n, -1)
        since_fill = np.zeros(n, np.int64)
        alarms, refills = np.zeros(n, np.int64), np.zeros(n, np.int64)
        rows = np.arange(n)
        for day in range(self.days):
            due = (refill_day == day) | (since_fill >= self.stability_days)
            residual[due], since_fill[due], refill_day[due] = self.reservoir_ml, 0, -1
            refills += due
            share = np.where(residual < falter, self.falter_fraction, 1.0)
            share = np.clip(residual / np.maximum(ml_per_day, 1e-12), 0.0, share)
            fraction[:, day] = share
            residual -= share * ml_per_day
            since_fill += 1
            sounds = (refill_day < 0) & (residual <= self.alarm_ml)
            delay = draws["delay"][rows, np.minimum(refills, _MAX_CYCLES - 1)].astype(np.int64)
            refill_day = np.where(sounds, day + 1 + delay, refill_day)
            alarms += sounds
        return {"fraction": fraction, "alarms": alarms, "refills": refills}

    def cohort(self, rng: np.random.Generator, size: int, inputs: Regimen) -> Cohort:
        population = generate_population(size, self.group, rng)
        dose = population.maintenance_dose_mcg_per_day
        pump = self.run_down(dose, self._draws(rng, size))
        rates = np.zeros((size, self.days, len(COMPACT.states)))
        rates[:, :, _LUMBAR] = pump["fraction"] * (dose / 24.0)[:, None]
        schedule = InputSchedule(24.0 * np.arange(self.days), rates, np.zeros_like(rates))
        records = {
            "need_ec50_ng_ml": np.asarray(population.effect.ec50_ng_ml) * population.rise_factor,
            "alarms": pump["alarms"],
            "refills": pump["refills"],
            "falter_days": np.count_nonzero(pump["fraction"] < 1, axis=1).astype(np.int64),
            "follow_up_h": np.full(size, 24 * self.days, np.int64),
        }
        return Cohort(population.pk, schedule, records)
