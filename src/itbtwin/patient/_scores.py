"""Clinical scores from a drug effect: Modified Ashworth grade and Penn spasm frequency/severity.

The scales are ordinal (pharmacology.md §6.1-6.2) and reported as grades, never as fractions:

- MAS "0", "1", "1+", "2", "3", "4" with ordinal codes 0-5 (1+ is code 2; jneuroeng2013 Table 2);
- Penn spasm frequency 0-4 (0 = no spasms ... 4 = more than 10 per hour), and Penn severity
  1 (mild) - 3 (severe), asked only when there are spasms; `NOT_RATED` (0) marks its absence.

A latent score, baseline code × (1 − reduction), is reported as the nearest grade, halves rounding
down; severity moves from its baseline towards 1 (mild) as spasms are removed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itbtwin.errors import ParameterError, shown
from itbtwin.patient._effect import MAS_GRADES, per_patient

NOT_RATED = 0
"""Penn severity where the frequency is 0: the scale asks severity only when there are spasms."""


def mas_code(grade: str) -> int:
    """The ordinal code (0-5) of a MAS grade such as "1+"; anything else raises."""
    try:
        return MAS_GRADES.index(str(grade).strip())
    except ValueError:
        raise ParameterError(
            f"unknown Modified Ashworth grade {shown(str(grade))}: use one of "
            + ", ".join(MAS_GRADES)
        ) from None


@dataclass(frozen=True)
class Baseline:
    """Scores without drug, as assessed: MAS grade, and optionally the Penn spasm frequency (0-4)
    with its severity (1-3, asked only when there are spasms); arrays allowed.

    Nothing has a default: a predicted score is measured from the patient's own baseline, so a
    caller without one predicts no scores (`respond(..., baseline=None)`), and without a Penn
    baseline no Penn scores.
    """

    mas: str | np.ndarray
    penn_frequency: int | np.ndarray | None = None
    penn_severity: int | np.ndarray | None = None

    def __post_init__(self) -> None:
        codes = np.vectorize(mas_code, otypes=[int])(np.asarray(self.mas))
        object.__setattr__(self, "_codes", codes)
        if self.penn_frequency is None:
            if self.penn_severity is not None:
                raise ParameterError("a baseline Penn severity needs its Penn spasm frequency")
            return
        frequency = np.asarray(self.penn_frequency)
        if np.any((frequency < 0) | (frequency > 4) | (frequency != np.round(frequency))):
            raise ParameterError("Penn spasm frequency is a whole number from 0 to 4")
        if self.penn_severity is None:
            if np.any(frequency > 0):
                raise ParameterError(
                    "a baseline Penn spasm frequency above 0 needs its severity (1 mild - 3 "
                    "severe): the Penn scale asks severity whenever there are spasms"
                )
            object.__setattr__(self, "penn_severity", np.full(frequency.shape, NOT_RATED))
            return
        severity = np.asarray(self.penn_severity)
        rated = severity[np.broadcast_to(frequency, severity.shape) > 0]
        if np.any((rated < 1) | (rated > 3) | (rated != np.round(rated))):
            raise ParameterError("Penn spasm severity is a whole number from 1 (mild) to 3")

    @property
    def mas_codes(self) -> np.ndarray:
        """The baseline MAS as ordinal codes 0-5."""
        return self._codes  # type: ignore[attr-defined,no-any-return]


def _reported(latent: np.ndarray) -> np.ndarray:
    return np.ceil(np.asarray(latent) - 0.5).astype(int)


@dataclass(frozen=True)
class Scores:
    """Reported scores over time, each (n, T): MAS codes and grades, Penn frequency and severity
    (None without a Penn baseline)."""

    mas_code: np.ndarray
    penn_frequency: np.ndarray | None
    penn_severity: np.ndarray | None

    @property
    def mas_grade(self) -> np.ndarray:
        """MAS grades as strings ("0" ... "4", with "1+")."""
        return np.asarray(MAS_GRADES, dtype=object)[self.mas_code]


def score(tone_reduction: np.ndarray, spasm_reduction: np.ndarray, baseline: Baseline) -> Scores:
    """Reported MAS (and, with a Penn baseline, Penn) scores for reductions of tone and spasms
    (fractions, (n, T))."""
    tone = np.asarray(tone_reduction, float)
    spasm = np.asarray(spasm_reduction, float)
    if np.any((tone < 0) | (tone > 1) | (spasm < 0) | (spasm > 1)):
        raise ParameterError("a reduction of tone or spasms is a fraction from 0 to 1")
    d = max(tone.ndim, 1)
    mas = _reported(per_patient(baseline.mas_codes, d) * (1 - tone))
    if baseline.penn_frequency is None:
        return Scores(mas, None, None)
    frequency = _reported(per_patient(baseline.penn_frequency, d) * (1 - spasm))
    severity = _reported(1 + (per_patient(baseline.penn_severity, d) - 1) * (1 - spasm))
    return Scores(mas, frequency, np.where(frequency > 0, severity, NOT_RATED))
