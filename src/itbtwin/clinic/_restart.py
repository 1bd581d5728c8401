"""Restarting after an interruption: a reduced dose, then titrate again.

The label asks for special care at re-introduction after an interruption (label:overdosage);
restarting at the pre-holiday rate of 27-55 mcg/h caused overdose about 6 h later (overdose1991).
A short interruption may resume the previous schedule (saulino2016-troubleshooting). The reduced
dose keeps the effect site at the same multiple of the patient's need as before the interruption:

    restart dose = current dose × T_left / T

T is the tolerance the twin reads from the current dose for a typical patient controlled on it
(`sim.controlled_effect`), T_left what is left after the time without drug (fades towards 1 with
τ 7 days, `patient._drift.after_interruption`, assumption). Rounded down to the pump's
programming resolution (`pump.programmable_dose`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.clinic._safety_rules import ProgramChange
from itbtwin.display import format_elapsed_h
from itbtwin.errors import RegimenError
from itbtwin.patient import BaclofenPk, DriftModel, after_interruption
from itbtwin.pump import programmable_dose
from itbtwin.sim import controlled_effect, steady_state_ng_ml

RESUME_FRACTION = 0.9
"""When the model's restart dose is at least 90% of the current one, the interruption counts as
short and the previous schedule may be resumed (assumption; saulino2016-troubleshooting)."""
SOURCE = "label:overdosage+overdose1991+saulino2016-troubleshooting"


@dataclass(frozen=True)
class RestartDose:
    """The dose to restart at after `gap_h` hours without drug (mcg/day) and why."""

    current_mcg: float
    restart_mcg: float
    tolerance: float
    tolerance_left: float
    gap_h: float
    reason: Reason


def restart_dose(
    current_mcg: float,
    gap_h: float,
    *,
    pk: BaclofenPk | None = None,
    drift: DriftModel | None = None,
) -> RestartDose:
    """The daily dose to restart at after an interruption of ``gap_h`` hours.

    **Arguments:**
    - `current_mcg`: the dose before the interruption (mcg/day).
    - `gap_h`: how long no drug was delivered (h).
    - `pk`: the patient's PK (default: a typical adult); `drift`: the fade time constant.
    """
    if not current_mcg > 0 or not gap_h >= 0:
        raise RegimenError("a restart needs the previous dose (> 0) and the gap (>= 0 h)")
    pk, drift = pk or BaclofenPk.adult(), drift or DriftModel()
    lumbar = steady_state_ng_ml(pk, current_mcg / 24)["csf_lumbar"]
    tolerance = float(np.max(controlled_effect(lumbar).tolerance))
    left = float(after_interruption(np.array(tolerance), gap_h / 24, drift))
    restart = programmable_dose(current_mcg * left / tolerance)
    gap = format_elapsed_h(gap_h)
    if restart >= RESUME_FRACTION * current_mcg:
        text = (
            f"after {gap} without drug the previous {current_mcg:g} mcg/day may be resumed "
            "(a short interruption); watch the patient as at any re-introduction"
        )
        return RestartDose(current_mcg, current_mcg, tolerance, left, gap_h, _pass(text))
    text = (
        f"after {gap} without drug tolerance has faded from {tolerance:.2f}× to about "
        f"{left:.2f}× a drug-naive patient's (model, τ {drift.holiday_tau_d:g} days): restart at "
        f"{restart:g} mcg/day, not {current_mcg:g}, and titrate up again (overdose was seen ~6 h "
        "after restarting at the pre-holiday rate)"
    )
    reason = Reason("restart_dose", Verdict.WARN, SOURCE, text)
    return RestartDose(current_mcg, restart, tolerance, left, gap_h, reason)


def _pass(text: str) -> Reason:
    return Reason("restart_dose", Verdict.PASS, SOURCE, text)


def restart_reasons(change: ProgramChange, current_mcg: float, proposed_mcg: float) -> list[Reason]:
    """After a time without drug (`empty_for_h`) and a refill: WARN when the proposed dose
    (mcg/day) is above the reduced restart dose; PASS, stating it, when it is not."""
    if change.empty_for_h is None or change.refill is None:
        return []
    plan = restart_dose(current_mcg, change.empty_for_h)
    if proposed_mcg > plan.restart_mcg + 1e-9:
        return [plan.reason]
    if plan.reason.verdict == Verdict.PASS:
        return [plan.reason]
    return [
        _pass(
            f"{proposed_mcg:g} mcg/day is at or below the reduced restart dose of "
            f"{plan.restart_mcg:g} mcg/day after {format_elapsed_h(plan.gap_h)} without drug"
        )
    ]
