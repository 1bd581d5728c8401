"""Model-derived overdose and withdrawal signals, with their thresholds and sources.

These are MODEL-DERIVED warnings, not diagnoses: they compare the simulated effect-site
concentration with what this patient needs (EC50 × tolerance), and time the withdrawal picture
from an interruption of delivery. Symptoms are the label's (pharmacology.md §1.9-1.10).

Overdose: x = Ce / (EC50 · T) is how far the effect site exceeds the patient's need (x ≈ 1.2 at the
maintenance target). Level 1 at x ≥ 2 is calibrated so restarting 27 mcg/h after a drug holiday
(tolerance lost) warns about 6 h later, as in overdose1991; levels 2 and 3 double it each time
(assumption). A patient whose tolerance faded (`_drift.after_interruption`) has a lower need, so a
full-dose restart raises x: the hazard the label asks to watch at re-introduction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itbtwin.errors import ParameterError
from itbtwin.patient._covariates import Covariates
from itbtwin.patient._effect import EffectParams
from itbtwin.patient._response import Response


@dataclass(frozen=True)
class Signal:
    """A model-derived signal level: its threshold, the label's symptoms and sources."""

    level: int
    name: str
    threshold: float
    symptoms: str
    source: str


OVERDOSE: tuple[Signal, ...] = (
    Signal(1, "overdose warning", 2.0, "drowsiness, dizziness, hypotonia", "label+overdose1991"),
    Signal(
        2,
        "severe overdose",
        4.0,
        "somnolence, respiratory depression, seizures, rostral hypotonia",
        "label+assumption",
    ),
    Signal(3, "coma risk", 8.0, "loss of consciousness, coma up to 72 h", "label+assumption"),
)
"""Thresholds on x = Ce / (EC50 · tolerance); model-derived."""

EARLY_WITHDRAWAL_FRACTION = 0.5
"""Early withdrawal once the tone effect has fallen to half its value at the interruption
(model-derived: "return of baseline spasticity" is the label's first sign)."""

EFFECT_LOST_FRACTION = 0.1
"""The drug effect counts as lost below 10% of its value at the interruption (model-derived)."""

SEVERE_WINDOW_H = (24.0, 72.0)
"""Advanced withdrawal (high fever, altered mental status, rebound spasticity, rigidity) evolves
over 1-3 days after delivery stops (neurosurgerywiki; droracle summary, secondary)."""

EARLY_SIGNS = "return of spasticity, pruritus, hypotension, paresthesia (label)"
SEVERE_SIGNS = "high fever, altered mental status, rebound spasticity, muscle rigidity (label)"


def need_ratio(ce_ng_ml: np.ndarray, effect: EffectParams) -> np.ndarray:
    """x = Ce / (EC50 · tolerance): how many times the patient's need is at the effect site."""
    ec50 = np.multiply(effect.ec50_ng_ml, effect.tolerance)
    ce = np.asarray(ce_ng_ml, float)
    return ce / (ec50[:, None] if np.ndim(ec50) and ce.ndim > 1 else ec50)


def overdose_level(ce_ng_ml: np.ndarray, effect: EffectParams) -> np.ndarray:
    """Overdose signal level 0 (none) to 3 (coma risk) at each time, same shape as ``ce_ng_ml``."""
    x = need_ratio(ce_ng_ml, effect)
    return sum((x >= s.threshold).astype(int) for s in OVERDOSE)  # type: ignore[return-value]


@dataclass(frozen=True)
class WithdrawalTimeline:
    """Hours after an interruption at which each stage is reached, per patient (NaN: not reached).

    Model-derived: the early stage and the loss of effect follow the simulated effect; the severe
    window is the clinical course, 24-72 h after delivery stops (`SEVERE_WINDOW_H`).
    """

    interrupted_at_h: float
    early_signs_h: np.ndarray
    effect_lost_h: np.ndarray
    severe_from_h: float = SEVERE_WINDOW_H[0]
    severe_until_h: float = SEVERE_WINDOW_H[1]
    early_signs: str = EARLY_SIGNS
    severe_signs: str = SEVERE_SIGNS


def withdrawal_timeline(response: Response, interrupted_at_h: float) -> WithdrawalTimeline:
    """Time course of withdrawal after delivery stops at ``interrupted_at_h`` (h)."""
    t = response.times_h
    if not t[0] <= interrupted_at_h < t[-1]:
        raise ParameterError("the interruption must fall inside the simulated times")
    start = int(np.searchsorted(t, interrupted_at_h))
    at_stop = response.tone_reduction[:, start]
    if np.any(at_stop <= 0):
        raise ParameterError("there was no drug effect to lose at the interruption")
    after, tone = t[start:] - interrupted_at_h, response.tone_reduction[:, start:]

    def first_below(fraction: float) -> np.ndarray:
        below = tone <= fraction * at_stop[:, None]
        return np.where(below.any(axis=1), after[np.argmax(below, axis=1)], np.nan)

    return WithdrawalTimeline(
        interrupted_at_h,
        first_below(EARLY_WITHDRAWAL_FRACTION),
        first_below(EFFECT_LOST_FRACTION),
    )


def withdrawal_risk_factors(covariates: Covariates) -> list[list[str]]:
    """The boxed warning's withdrawal risk factors present in each patient (label)."""
    n = covariates.origin.shape[0]
    flags = (
        (covariates.high_injury, "spinal cord injury at or above T6"),
        (np.broadcast_to(covariates.communication_difficulty, (n,)), "communication difficulty"),
        (np.broadcast_to(covariates.prior_withdrawal, (n,)), "prior withdrawal symptoms"),
    )
    return [[text for mask, text in flags if mask[i]] for i in range(n)]
