"""Who the patient is: the covariates that matter to ITB, validated at construction.

Origin of spasticity (spinal: spinal cord injury with its level, multiple sclerosis; cerebral:
cerebral palsy, brain injury, stroke), age and weight (children under 12 are their own group in the
label), baseline scores and a sensitivity factor. Scalars describe one patient; 1-D arrays a batch.
Injury at or above T6, communication difficulty and prior withdrawal are the boxed warning's risk
factors for withdrawal (label).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itbtwin.errors import ParameterError
from itbtwin.patient._declare import Value
from itbtwin.patient._levels import is_at_or_above, parse_level
from itbtwin.patient._scores import Baseline

DIAGNOSES: dict[str, str] = {
    "sci": "spinal",
    "ms": "spinal",
    "cp": "cerebral",
    "brain_injury": "cerebral",
    "stroke": "cerebral",
}
"""Diagnosis → origin of spasticity (label; pharmacology.md §1.5)."""

CHILD_AGE_Y = 12.0
"""The label reports children under 12 separately (mean 274 mcg/day)."""

HIGH_INJURY_LEVEL = "T6"
"""Spinal cord injury at T6 or above is a boxed-warning risk factor for withdrawal (label)."""


def _checked_levels(diagnosis: np.ndarray, injury_level: np.ndarray) -> np.ndarray:
    levels = np.empty(diagnosis.shape, dtype=object)
    for index, (dx, level) in enumerate(zip(diagnosis.flat, injury_level.flat, strict=True)):
        given = level is not None and str(level).strip() != ""
        if dx == "sci" and not given:
            raise ParameterError("a spinal cord injury needs its level, e.g. injury_level='C6'")
        if dx != "sci" and given:
            raise ParameterError(f"a level of injury applies to spinal cord injury, not to {dx}")
        levels.flat[index] = parse_level(level) if given else None
    return levels


@dataclass(frozen=True)
class Covariates:
    """Covariates of one patient (scalars) or a batch (1-D arrays, patients on axis 0).

    `sensitivity` divides the EC50 (2 = needs half the concentration; label: a sensitive adult
    had overdose symptoms after 25 mcg). `baseline`: the assessed pre-ITB scores, None where none
    was assessed (then no score is predicted; none is assumed).
    """

    diagnosis: str | np.ndarray
    age_years: Value
    weight_kg: Value
    injury_level: str | np.ndarray | None = None
    baseline: Baseline | None = None
    sensitivity: Value = 1.0
    communication_difficulty: bool | np.ndarray = False
    prior_withdrawal: bool | np.ndarray = False

    def __post_init__(self) -> None:
        diagnosis = np.atleast_1d(np.asarray(self.diagnosis, dtype=object))
        unknown = sorted({str(d) for d in diagnosis} - set(DIAGNOSES))
        if unknown:
            raise ParameterError(
                f"unknown diagnosis {unknown[0]!r}; expected one of {', '.join(DIAGNOSES)}"
            )
        levels = np.broadcast_to(np.asarray(self.injury_level, dtype=object), diagnosis.shape)
        object.__setattr__(self, "_levels", _checked_levels(diagnosis, levels))
        for name, low, high, unit in (
            ("age_years", 0.0, 120.0, "years"),
            ("weight_kg", 0.0, 400.0, "kg"),
            ("sensitivity", 0.0, np.inf, ""),
        ):
            value = np.asarray(getattr(self, name), float)
            bad = ~np.isfinite(value) | (value <= low) | (value >= high)
            if np.any(bad):
                shown = float(np.atleast_1d(value)[np.atleast_1d(bad)][0])
                raise ParameterError(
                    f"impossible {name.replace('_', ' ')} {shown:g} {unit}: it must be greater "
                    f"than {low:g}" + (f" and less than {high:g}" if np.isfinite(high) else "")
                )

    @property
    def origin(self) -> np.ndarray:
        """Origin of spasticity per patient: "spinal" or "cerebral"."""
        diagnosis = np.atleast_1d(np.asarray(self.diagnosis, dtype=object))
        return np.array([DIAGNOSES[str(d)] for d in diagnosis], dtype=object)

    @property
    def is_child(self) -> np.ndarray:
        """True for children under 12 (the label's paediatric group)."""
        return np.atleast_1d(np.asarray(self.age_years, float) < CHILD_AGE_Y)

    @property
    def high_injury(self) -> np.ndarray:
        """True for spinal cord injury at or above T6 (boxed-warning withdrawal risk)."""
        levels = self._levels  # type: ignore[attr-defined]
        return np.array([lv is not None and is_at_or_above(lv, HIGH_INJURY_LEVEL) for lv in levels])
