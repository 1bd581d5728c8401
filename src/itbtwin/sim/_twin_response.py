"""The patient's response inside the twin: MAS and Penn scores, overdose and withdrawal signals.

The scenario's patient is taken as well controlled on the prescription at hour 0: their need
(EC50 × tolerance) is set so the prescribed steady state removes the maintenance share of tone
(`MAINTENANCE_TARGET_REDUCTION`, creedon1997) [assumption: a patient on a settled dose]. The signals
are the response model's (`itbtwin.patient._signals`, model-derived): withdrawal once the tone
effect falls below half of the controlled effect, overdose levels from the need ratio. MAS and
Penn scores are measured from the scenario patient's assessed baseline; without one there are none.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from itbtwin.patient import (
    EARLY_WITHDRAWAL_FRACTION,
    MAINTENANCE_TARGET_REDUCTION,
    NOT_RATED,
    OVERDOSE,
    Baseline,
    EffectParams,
    concentration_for_reduction,
    overdose_level,
    respond,
)
from itbtwin.sim._result import SimulationResult

EFFECT_SITE = "csf_lumbar"
"""The compact model's effect site links to lumbar CSF."""


def controlled_effect(prescribed_lumbar_ng_ml: float) -> EffectParams:
    """Effect parameters of a patient controlled on the prescription.

    Only EC50 × tolerance sets the response. A prescription above what the typical drug-naive
    patient needs is read as tolerance (T ≥ 1, heetla2009); one below it as a patient more
    sensitive than typical, whose own EC50 is lower (between-patient variability on EC50, as in
    `patient.populations`); a tolerance below 1 would be meaningless.
    """
    typical = EffectParams.typical()
    if not prescribed_lumbar_ng_ml > 0:
        return typical
    needed = float(concentration_for_reduction(MAINTENANCE_TARGET_REDUCTION, typical))
    ratio = prescribed_lumbar_ng_ml / needed
    if ratio >= 1:
        return typical.replace(tolerance=ratio)
    return typical.replace(ec50_ng_ml=np.multiply(typical.ec50_ng_ml, ratio))


def response_columns(
    result: SimulationResult,
    effect: EffectParams,
    tolerance: np.ndarray | None = None,
    baseline: Baseline | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Series columns (effect site, the signals at each time: `overdose_level` 0-3,
    `withdrawal_signal` 0/1; MAS with the patient's `baseline`, Penn with a Penn baseline) and
    the signal summary (hours and first day). No baseline, no scores: none is assumed.

    ``tolerance``: the tolerance factor at each output time (`_twin_tolerance`); the response
    depends on Ce / (EC50 · T), so the effect site is read against the tolerance of the moment.
    """
    times = result.times_h - result.times_h[0]
    ce_site = result.effect_site_ng_ml(EFFECT_SITE)[0]
    ce = ce_site if tolerance is None else ce_site * np.divide(effect.tolerance, tolerance)
    response = respond(times, ce[None, :], effect, baseline)
    columns = {"effect_site_ng_ml": ce_site, "tone_reduction": response.tone_reduction[0]}
    scores = response.scores
    if scores is not None:
        columns["mas_grade"] = scores.mas_grade[0].astype(str)
    if scores is not None and scores.penn_frequency is not None:
        severity = scores.penn_severity[0]  # type: ignore[index]
        columns["penn_frequency"] = scores.penn_frequency[0]
        columns["penn_severity"] = np.where(severity == NOT_RATED, 0, severity)
    if tolerance is not None:
        columns["tolerance_factor"] = np.asarray(tolerance, float)
    step = np.diff(times, append=times[-1])
    level = overdose_level(ce, effect)
    withdrawal = (
        response.tone_reduction[0] < EARLY_WITHDRAWAL_FRACTION * MAINTENANCE_TARGET_REDUCTION
    )
    columns["overdose_level"] = level.astype(int)
    columns["withdrawal_signal"] = withdrawal.astype(int)
    summary: dict[str, Any] = {"max_overdose_level": int(level.max())}
    for name, hit in (("withdrawal", withdrawal), ("overdose", level >= OVERDOSE[0].level)):
        summary[f"{name}_h"] = float(step[hit].sum())
        summary[f"first_{name}_day"] = float(times[hit][0] / 24) if hit.any() else None
    return columns, summary
