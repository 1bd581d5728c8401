"""A patient's response over time: effect-site concentration → tone, spasms, scores and timing.

The effect-site concentration comes from the solver (`itbtwin.sim.solve(..., effect_sites=...)`);
this module turns it into what a clinician reads, and measures onset, peak and duration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itbtwin.patient._effect import (
    DETECTABLE_REDUCTION,
    EffectParams,
    spasm_reduction,
    tone_reduction,
)
from itbtwin.patient._scores import Baseline, Scores, score

NEAR_MAXIMUM = 0.95
"""An infusion's effect counts as maximal once it reaches 95% of the largest effect of the run."""


@dataclass(frozen=True)
class Response:
    """Effect over time, arrays (n, T): effect-site ng/mL, reductions (fractions) and scores
    (None without a baseline: a score is measured from the patient's own)."""

    times_h: np.ndarray
    ce_ng_ml: np.ndarray
    tone_reduction: np.ndarray
    spasm_reduction: np.ndarray
    scores: Scores | None


def respond(
    times_h: np.ndarray,
    ce_ng_ml: np.ndarray,
    effect: EffectParams,
    baseline: Baseline | None,
) -> Response:
    """The response to effect-site concentrations ``ce_ng_ml`` (ng/mL, (n, T)) at ``times_h``;
    the scores only from the patient's ``baseline`` (none is assumed)."""
    ce = np.atleast_2d(np.asarray(ce_ng_ml, float))
    tone, spasm = tone_reduction(ce, effect), spasm_reduction(ce, effect)
    scores = None if baseline is None else score(tone, spasm, baseline)
    return Response(np.asarray(times_h, float), ce, tone, spasm, scores)


def _first(times: np.ndarray, mask: np.ndarray) -> np.ndarray:
    hit = mask.any(axis=1)
    return np.where(hit, times[np.argmax(mask, axis=1)], np.nan)


def _last(times: np.ndarray, mask: np.ndarray) -> np.ndarray:
    hit = mask.any(axis=1)
    return np.where(hit, times[mask.shape[1] - 1 - np.argmax(mask[:, ::-1], axis=1)], np.nan)


EFFECT_DURATION = (
    "effect duration: from onset to the end of the visible effect "
    "(tone down by at least 1/8, the MAS of a baseline 3 a grade better)"
)
"""The one definition of effect duration (issue 14): `validate`, `pk --effect`, `screen` and the
titration's 8 h rule all use it and name it in their tables."""


@dataclass(frozen=True)
class EffectTiming:
    """Timing of the tone effect per patient, h from the start; NaN where it never happens.

    - `onset_h`: first time tone falls by `DETECTABLE_REDUCTION` (the MAS first changes);
    - `peak_h`: time of the largest effect;
    - `end_h`: last time tone is still down by `DETECTABLE_REDUCTION` (the displayed MAS is back
      to baseline after it);
    - `near_maximum_h`: first time the effect reaches 95% of the largest effect of the run.
    """

    onset_h: np.ndarray
    peak_h: np.ndarray
    end_h: np.ndarray
    near_maximum_h: np.ndarray

    @property
    def duration_h(self) -> np.ndarray:
        """`EFFECT_DURATION`: from onset to the end of the visible effect, h."""
        return self.end_h - self.onset_h


def effect_timing(response: Response) -> EffectTiming:
    """Onset, peak, end of the visible effect and time to near-maximum of each patient."""
    t, tone = response.times_h, response.tone_reduction
    peak = tone.max(axis=1, keepdims=True)
    visible = tone >= DETECTABLE_REDUCTION
    return EffectTiming(
        onset_h=_first(t, visible),
        peak_h=t[np.argmax(tone, axis=1)],
        end_h=_last(t, visible),
        near_maximum_h=_first(t, (tone >= NEAR_MAXIMUM * peak) & (peak > 0)),
    )
