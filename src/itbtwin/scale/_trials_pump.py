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
  `refill_delay_cv` (1 day, 0.3: fitted to [S25]'s 4 mL arm, see `CALIBRATION`), one draw
  per refill cycle, and fills the reservoir.
  Drug stability also forces a refill `stability_days` after a fill (180, pumps.md §5 [S2]).
- The reservoir is stepped once a day for all patients at once (vectorised over patients):
  the kernel gets a per-patient `InputSchedule` with daily breakpoints.

Every random draw has a fixed shape independent of the alarm volume, so two trials differing only
in `alarm_ml` follow the same patients (a paired comparison). Records: `need_ec50_ng_ml` (EC50 x
rise factor), `alarms`, `refills`, `falter_days`, `follow_up_h`.

Every setting above is a field of the generator (a key of `[population.generator]` in the trial
file) and has a row in `CALIBRATION`: unit, meaning, source key (`itbtwin.sources`) and basis.
The report prints that table with the trial's values; `_alarm_mechanism` traces one typical
patient through `run_down` and the kernel to show the mechanism.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field

from itbtwin.patient import COMPACT, generate_population
from itbtwin.scale._population import Cohort, PatientGenerator, register_generator
from itbtwin.scale._summaries import Calibration
from itbtwin.sim import InputSchedule, Regimen

FALTER_RANGE_ML = (2.1, 3.8)
"""Residual volumes at which [S25]'s patients had withdrawal symptoms (pumps.md §1.5)."""
_MAX_CYCLES = 32
_LUMBAR = COMPACT.states.index("lumbar")


CALIBRATION: dict[str, Calibration] = {
    "alarm_ml": Calibration(
        "mL",
        "low-reservoir alarm volume: the alarm sounds once the residual is at or below it",
        "synchromed2",
        "pumps.md §1.5 [S25]: 2 mL is the manufacturer's recommended alarm residual; raised to "
        "4 mL after withdrawal symptoms",
    ),
    "reservoir_ml": Calibration(
        "mL", "reservoir volume, filled to it at each refill", "synchromed2", "pumps.md §1 [S1][S2]"
    ),
    "concentration_mcg_ml": Calibration(
        "mcg/mL",
        "drug concentration in the reservoir (sets mL/day from the dose)",
        "assumption",
        "one concentration for all patients; higher concentrations empty the pump more slowly",
    ),
    "start_low_ml": Calibration(
        "mL",
        "lowest starting residual: patients join uniformly between it and full",
        "assumption",
        "patients join at any point of their refill cycle",
    ),
    "falter_ml": Calibration(
        "mL",
        "range of the per-patient residual below which a susceptible pump falters",
        "derived",
        "pumps.md §1.5 [S25]: symptoms before the residual reached a mean 2.7 mL, range 2.1-3.8",
    ),
    "susceptible_share": Calibration(
        "1",
        "share of pumps whose delivery falters near empty",
        "derived",
        "pumps.md §1.5 [S25]: 21 of 88 patients had withdrawal symptoms with the 2 mL alarm",
    ),
    "falter_fraction": Calibration(
        "1",
        "share of the programmed dose a faltering pump still delivers (falter depth)",
        "assumption",
        "[S25] reports symptoms, not delivered volume; no source gives the depth",
    ),
    "refill_delay_median_days": Calibration(
        "day",
        "median delay from the alarm to the refill visit (log-normal)",
        "residual-withdrawal",
        "fitted (issue 14) to [S25]'s outcome after raising the alarm to 4 mL (0/88 with "
        "symptoms): on a grid of 1-3 days x CV 0.3/0.8 (2,048 patients, seed of alarm_4ml), "
        "1 day, CV 0.3 is the only pair whose 4 mL arm stays under 3/88 (the 95% upper bound "
        "of 0/88) with a withdrawal syndrome; the 2 mL arm is then a prediction (22% of "
        "patients a year; [S25] 21/88 = 24%). Refilling promptly matches practice (refill "
        "before the alarm, pumps.md §5)",
    ),
    "refill_delay_cv": Calibration(
        "1",
        "coefficient of variation of that delay (one draw per refill cycle, whole days)",
        "residual-withdrawal",
        "fitted with the median (see refill_delay_median_days)",
    ),
    "stability_days": Calibration(
        "day",
        "drug stability: a refill is forced this long after a fill",
        "synchromed2",
        "pumps.md §5 [S2]: baclofen stable for six months in SynchroMed II",
    ),
}
"""Every setting of `reservoir_alarm` that calibrates the trial (a test keeps it complete)."""


def _field(name: str, default: object, **limits: float) -> Any:
    row = CALIBRATION[name]
    return Field(default, description=f"{row.help} ({row.unit}; {row.source})", **limits)


@register_generator
class ReservoirAlarm(PatientGenerator):
    """Pumps emptying towards their low-reservoir alarm; refills after the alarm (see module)."""

    kind: Literal["reservoir_alarm"] = "reservoir_alarm"
    group: Literal["spinal", "cerebral", "paediatric"] = "spinal"
    days: int = Field(365, gt=0, le=3650)
    alarm_ml: float = _field("alarm_ml", 2.0, gt=0)
    reservoir_ml: float = _field("reservoir_ml", 20.0, gt=0)
    concentration_mcg_ml: float = _field("concentration_mcg_ml", 2000.0, gt=0)
    start_low_ml: float = _field("start_low_ml", 4.5, gt=0)
    falter_ml: tuple[float, float] = _field("falter_ml", FALTER_RANGE_ML)
    falter_fraction: float = _field("falter_fraction", 0.3, ge=0, le=1)
    susceptible_share: float = _field("susceptible_share", 21 / 88, ge=0, le=1)
    refill_delay_median_days: float = _field("refill_delay_median_days", 1.0, gt=0)
    refill_delay_cv: float = _field("refill_delay_cv", 0.3, ge=0)
    stability_days: int = _field("stability_days", 180, gt=0)
    mechanism_alarms_ml: tuple[float, ...] = Field(
        (2.0, 4.0),
        min_length=1,
        description="alarm volumes shown side by side in the report's mechanism figure (mL)",
    )

    def calibration(self) -> list[dict[str, Any]]:
        """Declared settings with this trial's values: name, value, unit, help, source, basis."""
        return [
            {"name": name, "value": getattr(self, name), **row._asdict()}
            for name, row in CALIBRATION.items()
        ]

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

    def typical_draws(self, size: int = 1) -> dict[str, np.ndarray]:
        """Draws of a typical susceptible pump: just filled, falters at the middle of `falter_ml`,
        every refill `refill_delay_median_days` after its alarm (the mechanism figure's patient)."""
        return {
            "start": np.full(size, self.reservoir_ml),
            "falter": np.full(size, sum(self.falter_ml) / 2),
            "delay": np.full((size, _MAX_CYCLES), float(np.round(self.refill_delay_median_days))),
        }

    def run_down(
        self, dose: np.ndarray, draws: dict[str, np.ndarray], *, trace: bool = False
    ) -> dict[str, np.ndarray]:
        """Step every pump one day at a time: delivered share per day (n, days) and counts.

        With ``trace``, also the residual at the end of each day (mL) and the days each alarm
        sounded and each refill was done (boolean, n × days).
        """
        n = dose.size
        ml_per_day = dose / self.concentration_mcg_ml
        residual, falter = draws["start"].copy(), draws["falter"]
        fraction = np.ones((n, self.days))
        refill_day = np.full(n, -1)
        since_fill = np.zeros(n, np.int64)
        alarms, refills = np.zeros(n, np.int64), np.zeros(n, np.int64)
        shape = (n, self.days) if trace else (0, self.days)
        left, sounded, refilled = np.empty(shape), np.zeros(shape, bool), np.zeros(shape, bool)
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
            if trace:
                left[:, day], sounded[:, day], refilled[:, day] = residual, sounds, due
        result = {"fraction": fraction, "alarms": alarms, "refills": refills}
        if trace:
            result.update(residual_ml=left, alarm=sounded, refill=refilled)
        return result

    def delivery(self, dose: np.ndarray, fraction: np.ndarray) -> InputSchedule:
        """The pumps' daily delivery (mcg/h into lumbar CSF) as a per-patient schedule."""
        size = dose.size
        rates = np.zeros((size, fraction.shape[1], len(COMPACT.states)))
        rates[:, :, _LUMBAR] = fraction * (dose / 24.0)[:, None]
        return InputSchedule(24.0 * np.arange(fraction.shape[1]), rates, np.zeros_like(rates))

    def cohort(self, rng: np.random.Generator, size: int, inputs: Regimen) -> Cohort:
        population = generate_population(size, self.group, rng)
        dose = population.maintenance_dose_mcg_per_day
        pump = self.run_down(dose, self._draws(rng, size))
        records = {
            "need_ec50_ng_ml": np.asarray(population.effect.ec50_ng_ml) * population.rise_factor,
            "alarms": pump["alarms"],
            "refills": pump["refills"],
            "falter_days": np.count_nonzero(pump["fraction"] < 1, axis=1).astype(np.int64),
            "follow_up_h": np.full(size, 24 * self.days, np.int64),
        }
        return Cohort(population.pk, self.delivery(dose, pump["fraction"]), records)
