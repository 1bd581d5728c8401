"""The programming safety check: pass / warn / block for a proposed program or refill.

It gathers every rule: the dose step for the patient's origin and the 24 h spacing, and the
group's dose ranges (`check_step`, saulino2016-dosing, label); unit and decimal slips, the
concentration entered against the reservoir, bridge and priming boluses, device limits, the
stability cap and the reservoir's volume at the change (`_safety_rules`); the reduced dose
after a time without drug (`_restart`). A block stands unless overridden with a written reason,
which the result carries so every face shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin.clinic._reasons import Reason, Verdict, worst
from itbtwin.clinic._restart import restart_reasons
from itbtwin.clinic._safety_rules import (
    ProgramChange,
    bolus_reasons,
    concentration_reasons,
    device_reasons,
    reservoir_reasons,
    resolution_reasons,
    slip_reasons,
    stability_reasons,
)
from itbtwin.clinic._titration import check_step
from itbtwin.errors import RegimenError
from itbtwin.pump import Program


def weekly_mean_mcg(program: Program) -> float:
    """Mean programmed dose per day over the 7 weekdays (mcg/day), periodic boluses included."""
    return sum(program.daily_dose_mcg(day) for day in range(7)) / 7


@dataclass(frozen=True)
class SafetyCheck:
    """The outcome of a safety check: every rule that fired, the verdict and any override."""

    change: ProgramChange
    current_mcg: float
    proposed_mcg: float
    reasons: tuple[Reason, ...]
    override_reason: str | None = None

    @property
    def verdict(self) -> Verdict:
        """The most serious finding."""
        return worst(list(self.reasons))

    @property
    def rules(self) -> tuple[str, ...]:
        """Names of the rules that fired with a warn or block."""
        return tuple(r.rule for r in self.reasons if r.verdict != Verdict.PASS)

    @property
    def may_send(self) -> bool:
        """True when the program may go to the pump: no block, or a block overridden."""
        return self.verdict != Verdict.BLOCK or self.override_reason is not None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "verdict": self.verdict.value,
            "may_send": self.may_send,
            "override_reason": self.override_reason,
            "current_mcg_per_day": self.current_mcg,
            "proposed_mcg_per_day": self.proposed_mcg,
            "current_concentration_mcg_per_ml": self.change.current.concentration_mcg_per_ml,
            "proposed_concentration_mcg_per_ml": self.change.proposed.concentration_mcg_per_ml,
            "reservoir_mcg_per_ml": self.change.holds_mcg_per_ml,
            "reasons": [r.as_dict() for r in self.reasons],
        }


def check_program(change: ProgramChange, *, override_reason: str | None = None) -> SafetyCheck:
    """Judge a proposed program (and refill) against every safety rule.

    **Arguments:**
    - `change`: the current and proposed state (`ProgramChange`; doses mcg/day, mL, mcg/mL).
    - `override_reason`: a written reason to send a blocked program anyway; it must not be blank.

    **Returns:** a `SafetyCheck` with every rule that fired (rule, verdict, source, sentence).
    """
    if override_reason is not None and not override_reason.strip():
        raise RegimenError("an override needs a written reason")
    current = weekly_mean_mcg(change.current)
    proposed = weekly_mean_mcg(change.proposed)
    step = check_step(
        current,
        proposed,
        origin=change.origin,
        age_years=change.age_years,
        hours_since_last_change=change.hours_since_last_change,
        phase=change.phase,
    )
    reasons = [
        *step.reasons,
        *slip_reasons(current, proposed),
        *concentration_reasons(change),
        *bolus_reasons(change),
        *device_reasons(change),
        *resolution_reasons(change),
        *stability_reasons(change),
        *reservoir_reasons(change),
        *restart_reasons(change, current, proposed),
    ]
    if not reasons:
        low, high = step.allowed
        within = (  # the same daily dose is no step ("+0.0% is within the 10-30% step")
            f"the daily dose stays at {current:g} mcg/day and every other check passes"
            if proposed == current
            else f"{current:g} → {proposed:g} mcg/day ({step.percent:+.1f}%) is within the "
            f"{low:g}-{high:g}% per 24 h step and every other check"
        )
        reasons.append(Reason("change_within_limits", Verdict.PASS, "saulino2016-dosing", within))
    if override_reason is not None and worst(reasons) == Verdict.BLOCK:
        reasons.append(
            Reason(
                "override",
                Verdict.BLOCK,
                "assumption",
                f"block overridden by the clinician: {override_reason.strip()}",
            )
        )
    return SafetyCheck(change, current, proposed, tuple(reasons), override_reason)
