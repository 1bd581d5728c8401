"""Dose drift and tolerance over years, intrathecal and oral.

The dose a patient needs follows the tolerance factor T(t) on EC50 (`EffectParams.tolerance`):

    T(t) = [F − (F − 1) · exp(−t / τ)] · (1 + g · t)        t in years, F the patient's rise factor

- τ: the rise is 95% complete at 18 months, then the dose is stable (heetla2009) → τ = 1.5 / 3 y.
- g: slow drift once stable, calibrated so the mean ITB dose changes 3-5% over 3 years in
  long-term patients (product-page, citing mccormick2016); oral doses drift faster, 9-21%.
- Tolerance as heetla2009 defines it: a dose increase of more than 100 mcg/year, taken over a
  follow-up of `follow_up_y` years (assumption: the follow-up is not in the reference).
- During an interruption tolerance fades towards 1 with `holiday_tau_d` (assumption; a drug holiday
  lowered the dose in heetla2009, and restarting at the old rate caused overdose, overdose1991).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from itbtwin import sources
from itbtwin.errors import ParameterError
from itbtwin.patient._variability import RISE_FACTOR

TOLERANCE_MCG_PER_YEAR = 100.0
"""heetla2009: tolerance is a dose increase of more than 100 mcg/year (22% of 37 patients)."""


@dataclass(frozen=True)
class DriftModel:
    """Parameters of dose drift (years, per year, days); defaults calibrated as the module says."""

    rise_tau_y: float = 1.5 / 3
    itb_drift_per_y: float = 0.013
    oral_drift_per_y: float = 0.05
    follow_up_y: float = 5.0
    holiday_tau_d: float = 7.0
    source: str = "heetla2009+product-page+mccormick2016"

    def __post_init__(self) -> None:
        sources.check(self.source)
        for name in ("rise_tau_y", "follow_up_y", "holiday_tau_d"):
            if not getattr(self, name) > 0:
                raise ParameterError(f"drift parameter {name} must be positive")
        if self.itb_drift_per_y < 0 or self.oral_drift_per_y < 0:
            raise ParameterError("drift rates are increases per year and cannot be negative")


def tolerance_factor(years: np.ndarray, rise_factor: np.ndarray, drift: DriftModel) -> np.ndarray:
    """T(t) on EC50 after ``years`` of uninterrupted ITB, (n, T) for (n,) rise factors."""
    t = np.asarray(years, float)
    if np.any(t < 0):
        raise ParameterError("time on therapy cannot be negative")
    f = np.asarray(rise_factor, float)[..., None]
    return (f - (f - 1) * np.exp(-t / drift.rise_tau_y)) * (1 + drift.itb_drift_per_y * t)


def dose_trajectory(
    maintenance_dose: np.ndarray, rise_factor: np.ndarray, years: np.ndarray, drift: DriftModel
) -> np.ndarray:
    """Dose needed over time, mcg/day (n, T): the maintenance dose is reached when T = F."""
    scale = np.asarray(maintenance_dose, float)[..., None] / np.asarray(rise_factor)[..., None]
    return scale * tolerance_factor(years, rise_factor, drift)


def is_tolerant(
    maintenance_dose: np.ndarray, rise_factor: np.ndarray, drift: DriftModel
) -> np.ndarray:
    """heetla2009 tolerance per patient: mean increase > 100 mcg/year over the follow-up."""
    ends = dose_trajectory(maintenance_dose, rise_factor, np.array([0.0, drift.follow_up_y]), drift)
    return (ends[:, 1] - ends[:, 0]) / drift.follow_up_y > TOLERANCE_MCG_PER_YEAR


def three_year_change(route: str, drift: DriftModel, years_on_therapy: float = 11.0) -> float:
    """Mean relative dose change over the last 3 of ``years_on_therapy`` (mccormick2016: 11 y ITB).

    Past the 18-month rise the intrathecal change is the slow drift; oral doses drift at their own
    rate (product-page: ITB 3-5% vs oral 9-21% over 3 years).
    """
    if years_on_therapy < 3:
        raise ParameterError("a 3-year change needs at least 3 years on therapy")
    if route == "oral":
        return drift.oral_drift_per_y * 3
    if route != "intrathecal":
        raise ParameterError(f"unknown route {route!r}: intrathecal or oral")
    start, end = years_on_therapy - 3, years_on_therapy
    t = tolerance_factor(np.array([start, end]), np.array([RISE_FACTOR]), drift)[0]
    return float(t[1] / t[0] - 1)


def after_interruption(tolerance: np.ndarray, gap_days: float, drift: DriftModel) -> np.ndarray:
    """Tolerance left after ``gap_days`` without drug: it fades towards 1 (drug-naive)."""
    if gap_days < 0:
        raise ParameterError("an interruption cannot last a negative time")
    t = np.asarray(tolerance, float)
    return 1 + (t - 1) * math.exp(-gap_days / drift.holiday_tau_d)
