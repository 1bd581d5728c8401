"""Virtual patients for the dose trials: maintenance dose by origin and 3-year dose drift.

`kind = "virtual_population"` draws a block with `itbtwin.patient.generate_population` (the
block's own random stream) and records, per patient:

- `maintenance_dose_mcg_day`: the continuous ITB dose that removes the maintenance share of the
  tone once tolerance has settled (creedon1997, heetla2009; `patient/_population.py`).
- `itb_3y_change_pct`: the relative dose change over the last 3 of `years_on_therapy` years,
  from `dose_trajectory` (the patient's own rise factor and the `DriftModel`), percent.
- `oral_3y_change_pct`: `three_year_change("oral")` times a per-patient spread drawn uniform in
  [`oral_spread_low`, `oral_spread_high`] (defaults 0.6-1.4 put the default 15% mean on the
  product page's 9-21%: derived from product-page; the uniform shape is an assumption), percent.
- `rise_factor`, `years_on_therapy`.

The patients' PK goes to the kernel with the trial's shared regimen (the dose trials need no
concentrations; give them a short duration).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from itbtwin.patient import DriftModel, dose_trajectory, generate_population, three_year_change
from itbtwin.scale._population import Cohort, PatientGenerator, register_generator
from itbtwin.sim import Regimen

YEARS_ON_THERAPY = (5.0, 15.0)
"""Years on ITB drawn uniform in this range (assumption; mccormick2016's cohort had 11 years on
average)."""


@register_generator
class VirtualPopulation(PatientGenerator):
    """`generate_population` patients of one group, with their doses and 3-year drift recorded."""

    kind: Literal["virtual_population"] = "virtual_population"
    group: Literal["spinal", "cerebral", "paediatric"] = "spinal"
    years_low: float = Field(YEARS_ON_THERAPY[0], ge=3)
    years_high: float = Field(YEARS_ON_THERAPY[1], ge=3)
    itb_drift_per_y: float = Field(DriftModel.itb_drift_per_y, ge=0)
    oral_drift_per_y: float = Field(DriftModel.oral_drift_per_y, ge=0)
    oral_spread_low: float = Field(0.6, gt=0)
    oral_spread_high: float = Field(1.4, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> VirtualPopulation:
        if self.years_low > self.years_high or self.oral_spread_low > self.oral_spread_high:
            raise ValueError("a range's low end must not exceed its high end")
        return self

    def drift(self) -> DriftModel:
        """The drift model with this trial's rates (per year)."""
        return DriftModel(
            itb_drift_per_y=self.itb_drift_per_y, oral_drift_per_y=self.oral_drift_per_y
        )

    def cohort(self, rng: np.random.Generator, size: int, inputs: Regimen) -> Cohort:
        population = generate_population(size, self.group, rng)
        drift = self.drift()
        dose = population.maintenance_dose_mcg_per_day
        years = rng.uniform(self.years_low, self.years_high, size)
        ends = dose_trajectory(dose, population.rise_factor, np.stack([years - 3, years], 1), drift)
        spread = rng.uniform(self.oral_spread_low, self.oral_spread_high, size)
        records = {
            "maintenance_dose_mcg_day": dose,
            "itb_3y_change_pct": 100 * (ends[:, 1] / ends[:, 0] - 1),
            "oral_3y_change_pct": 100 * three_year_change("oral", drift) * spread,
            "rise_factor": population.rise_factor,
            "years_on_therapy": years,
        }
        return Cohort(population.pk, inputs, records)
