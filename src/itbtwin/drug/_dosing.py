"""Maintenance dose ranges of the label, by patient group, as data with sources.

Each range has the band where "most patients" are maintained and the full observed range. They are
what titration flags, population calibration and the safety check compare against.
"""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin import sources
from itbtwin.errors import ParameterError


@dataclass(frozen=True)
class DoseRange:
    """Daily intrathecal maintenance doses of one group, mcg/day."""

    group: str
    typical_low_mcg_per_day: float
    typical_high_mcg_per_day: float
    observed_low_mcg_per_day: float
    observed_high_mcg_per_day: float
    source: str
    mean_mcg_per_day: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        sources.check(self.source)
        if not (
            0
            < self.observed_low_mcg_per_day
            <= self.typical_low_mcg_per_day
            < self.typical_high_mcg_per_day
            <= self.observed_high_mcg_per_day
        ):
            raise ParameterError(f"dose range of {self.group} is not ordered")


DOSE_RANGES: dict[str, DoseRange] = {
    "spinal": DoseRange(
        "spinal",
        300,
        800,
        12,
        2003,
        "label:maintenance+product-page",
        note="most 300-800 mcg/day; observed 12-2003 (product page prints mcg/L, a typo)",
    ),
    "cerebral": DoseRange(
        "cerebral",
        90,
        703,
        22,
        1900,
        "label:maintenance+product-page",
        note="most 90-703 mcg/day; observed 22-1900",
    ),
    "paediatric": DoseRange(
        "paediatric",
        24,
        1199,
        24,
        1199,
        "label:maintenance+product-page",
        mean_mcg_per_day=274,
        note="children under 12: average 274 mcg/day, range 24-1199; over 12 as adults",
    ),
}


def dose_range_for(origin: str, age_years: float) -> DoseRange:
    """Return the label's dose range for a patient: children under 12 form their own group."""
    if age_years < PAEDIATRIC_AGE_Y:
        return DOSE_RANGES["paediatric"]
    if origin not in DOSE_RANGES:
        check_origin(origin)
    return DOSE_RANGES[origin]


ORIGINS = ("spinal", "cerebral")
"""Origins of spasticity the label's dosing rules distinguish."""


def check_origin(origin: str) -> str:
    """Refuse an origin of spasticity other than spinal or cerebral; return it."""
    if origin not in ORIGINS:
        raise ParameterError(f"unknown origin {origin!r}; expected one of: {', '.join(ORIGINS)}")
    return origin


@dataclass(frozen=True)
class StepLimit:
    """Dose increases per 24 h for a group, percent of the current daily dose."""

    group: str
    titration_low_percent: float
    titration_high_percent: float
    maintenance_high_percent: float
    source: str
    maintenance_source: str

    def __post_init__(self) -> None:
        sources.check(self.source)
        sources.check(self.maintenance_source)


STEP_LIMITS: dict[str, StepLimit] = {
    # saulino2016-dosing: spinal 10-30%, cerebral and children 5-15% per 24 h; the label's
    # maintenance increases (spinal 10-40%, cerebral 5-20%) are from memory in the reference.
    "spinal": StepLimit("spinal origin", 10, 30, 40, "saulino2016-dosing", "label:maintenance"),
    "cerebral": StepLimit(
        "cerebral origin or children", 5, 15, 20, "saulino2016-dosing", "label:maintenance"
    ),
}
HIGH_DOSE_STEP_PERCENT = 20.0
"""At higher doses an increase above 20% may be excessive (saulino2016-dosing, CMSC 2015)."""
PAEDIATRIC_AGE_Y = 12.0
"""Children under 12 form their own dosing group; over 12 they dose as adults (label)."""


def step_limit_for(origin: str, age_years: float | None = None) -> StepLimit:
    """The step limits of a patient: cerebral origin and children under 12 step 5-15%."""
    check_origin(origin)
    child = age_years is not None and age_years < PAEDIATRIC_AGE_Y
    return STEP_LIMITS["cerebral" if origin == "cerebral" or child else "spinal"]
