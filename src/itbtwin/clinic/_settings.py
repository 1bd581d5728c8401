"""Clinical rule constants, declared once as data with unit, help and source (STYLE.md §13).

These are reviewed code, never read from the environment. A value the reference marks "(from
memory, verify)" carries ``verified=False`` and is shown as such wherever a rule that uses it fires.
"""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin import sources


@dataclass(frozen=True)
class Setting:
    """One clinical rule constant."""

    name: str
    default: float
    unit: str
    help: str
    source: str
    verified: bool = True

    def __post_init__(self) -> None:
        sources.check(self.source)


_DECLARED = (
    Setting(
        "screening_first_dose", 50, "mcg", "first screening bolus", "label:screening+boster2016"
    ),
    Setting("screening_second_dose", 75, "mcg", "second screening bolus", "label:screening"),
    Setting(
        "screening_third_dose", 100, "mcg", "third and last screening bolus", "label:screening"
    ),
    Setting(
        "screening_small_patient_dose",
        25,
        "mcg",
        "first bolus for very small or spasticity-dependent patients",
        "boster2016",
    ),
    Setting(
        "screening_min_interval", 24, "h", "least time between screening boluses", "label:screening"
    ),
    Setting("screening_observe_min", 4, "h", "observation after a bolus, from", "label:screening"),
    Setting("screening_observe_max", 8, "h", "observation after a bolus, to", "label:screening"),
    Setting(
        "screening_cardiopulmonary_checks",
        2,
        "h",
        "frequent cardiopulmonary checks in the first hours after a bolus",
        "boster2016",
    ),
    Setting(
        "screening_positive_mas_drop",
        1,
        "grade",
        "MAS improvement counted as a significant decrease in tone (ordinal grades)",
        "assumption",
        verified=False,
    ),
    Setting(
        "screening_positive_penn_drop",
        1,
        "grade",
        "Penn spasm frequency improvement counted as a significant decrease",
        "assumption",
        verified=False,
    ),
    Setting(
        "start_long_effect",
        8,
        "h",
        "a screening effect lasting more than this (onset to the end of the visible effect) "
        "starts the pump at the screening dose",
        "saulino2016-dosing",
    ),
    Setting(
        "start_multiplier",
        2,
        "x",
        "otherwise the daily dose is twice the bolus",
        "saulino2016-dosing",
    ),
    Setting(
        "titration_interval", 24, "h", "least time between titration steps", "saulino2016-dosing"
    ),
    Setting(
        "side_effect_reduction_min",
        10,
        "%",
        "dose reduction for side effects, from",
        "label:titration",
        verified=False,
    ),
    Setting(
        "side_effect_reduction_max",
        20,
        "%",
        "dose reduction for side effects, to",
        "label:titration",
        verified=False,
    ),
    Setting(
        "slip_ratio_tolerance",
        2.0,
        "%",
        "how close a dose ratio must be to 24, 10, 100 or 1000 (or their inverses) to be read as "
        "an entry slip (allows for rounding of the entered value)",
        "assumption",
        verified=False,
    ),
    Setting(
        "refill_error_tolerance",
        15.0,
        "%",
        "delivered volume may differ from the programmed volume by this much between two refills "
        "before the reconciliation asks for a check (the 85-115% accuracy endpoint of the "
        "Prometra pivotal study, applied to every pump)",
        "prometra",
        verified=False,
    ),
)

SETTINGS: dict[str, Setting] = {s.name: s for s in _DECLARED}


def setting(name: str) -> float:
    """The default value of a clinical rule constant, in its declared unit."""
    return SETTINGS[name].default
