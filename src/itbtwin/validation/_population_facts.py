"""Facts of virtual populations: maintenance doses beside the label's ranges, tolerance, drift.

Sources: reference/pharmacology.md §1.5, §6, §9.11. Each population row states its tolerance; rows
whose published value was also a calibration target say so.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from itbtwin.drug import DOSE_RANGES
from itbtwin.patient import (
    RISE_FACTOR,
    DriftModel,
    dose_trajectory,
    generate_population,
    is_tolerant,
    summarize_doses,
    three_year_change,
)
from itbtwin.validation._registry import Fact, register

_CALIBRATED = "calibration target: checks the implementation"
_SEED, _N = 2024, 10_000


@cache
def _population(group: str):  # type: ignore[no-untyped-def]
    return generate_population(_N, group, _SEED)


def _summary(group: str):  # type: ignore[no-untyped-def]
    return summarize_doses(_population(group))


def _tolerant_share() -> float:
    pop = _population("spinal")
    return float(
        is_tolerant(pop.maintenance_dose_mcg_per_day, pop.rise_factor, DriftModel()).mean()
    )


def _rise_done_by_18_months() -> float:
    doses = dose_trajectory(
        np.array([500.0]),
        np.array([RISE_FACTOR]),
        np.array([0, 1.5, 8.0]),
        DriftModel(itb_drift_per_y=0.0),
    )[0]
    return float((doses[1] - doses[0]) / (doses[2] - doses[0]))


def _population_facts(group: str) -> list[Fact]:
    r = DOSE_RANGES[group]
    band = f"{r.typical_low_mcg_per_day:g}–{r.typical_high_mcg_per_day:g} mcg/day"
    seen = f"{r.observed_low_mcg_per_day:g}–{r.observed_high_mcg_per_day:g} mcg/day"
    run = f"n={_N}, seed {_SEED}"
    facts = [
        Fact(
            f"population_{group}_p5",
            f"{group}: 5th percentile of simulated maintenance doses",
            r.source,
            f"observed {seen}",
            r.observed_low_mcg_per_day,
            math.inf,
            "mcg/day",
            lambda: _summary(group).p5,
            f"{run}; tolerance: inside the observed range",
        ),
        Fact(
            f"population_{group}_p95",
            f"{group}: 95th percentile of simulated maintenance doses",
            r.source,
            f"observed {seen}",
            0,
            r.observed_high_mcg_per_day,
            "mcg/day",
            lambda: _summary(group).p95,
            f"{run}; tolerance: inside the observed range",
        ),
    ]
    if r.mean_mcg_per_day is None:
        facts += [
            Fact(
                f"population_{group}_median",
                f"{group}: median simulated maintenance dose",
                r.source,
                f"most {band}",
                r.typical_low_mcg_per_day,
                r.typical_high_mcg_per_day,
                "mcg/day",
                lambda: _summary(group).median,
                f"{run}; tolerance: inside the typical band",
            ),
            Fact(
                f"population_{group}_share",
                f"{group}: share of virtual patients in the typical band",
                r.source,
                f"most in {band}",
                0.5,
                1.0,
                "fraction",
                lambda: _summary(group).within_typical,
                f"{run}; 'most' read as more than half; calibrated",
            ),
        ]
    else:
        mean = r.mean_mcg_per_day
        facts.append(
            Fact(
                f"population_{group}_mean",
                f"{group}: mean simulated maintenance dose, children under 12",
                r.source,
                f"mean {mean:g} mcg/day",
                0.85 * mean,
                1.15 * mean,
                "mcg/day",
                lambda: _summary(group).mean,
                f"{run}; tolerance ±15%; calibrated (CSF factor)",
            )
        )
    return facts


register(
    [
        *_population_facts("spinal"),
        *_population_facts("cerebral"),
        *_population_facts("paediatric"),
        Fact(
            "tolerance_share",
            "share of virtual spinal patients with tolerance (> 100 mcg/year)",
            "heetla2009",
            "22% (8/37)",
            0.10,
            0.38,
            "fraction",
            _tolerant_share,
            f"band: 95% CI of 8/37; follow-up {DriftModel().follow_up_y:g} y (assumption); n={_N}",
        ),
        Fact(
            "dose_rise_18_months",
            "share of the long-term dose rise reached by 18 months",
            "heetla2009",
            "rise over the first 18 months, then stable",
            0.9,
            1.0,
            "fraction",
            _rise_done_by_18_months,
            _CALIBRATED,
        ),
        Fact(
            "drift_itb_3_years",
            "mean change of the intrathecal dose over 3 years (11 years on ITB)",
            "product-page+mccormick2016",
            "3–5%",
            0.03,
            0.05,
            "fraction",
            lambda: three_year_change("intrathecal", DriftModel()),
            _CALIBRATED,
        ),
        Fact(
            "drift_oral_3_years",
            "mean change of the oral dose over 3 years",
            "product-page+mccormick2016",
            "9–21%",
            0.09,
            0.21,
            "fraction",
            lambda: three_year_change("oral", DriftModel()),
            _CALIBRATED,
        ),
    ]
)
