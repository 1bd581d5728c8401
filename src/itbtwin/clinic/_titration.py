"""Post-implant titration and maintenance: the starting dose, allowed steps, plans and ranges.

Start at twice the effective screening bolus per 24 h, or at the bolus itself when its effect lasted
more than 8 h or it caused adverse reactions (saulino2016-dosing). Raise once per 24 h by 10–30%
(spinal) or 5–15% (cerebral origin and children); at high doses a rise above 20% may be excessive.
Doses are daily doses, mcg/day.
"""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin.clinic._reasons import Reason, Verdict, worst
from itbtwin.clinic._settings import setting
from itbtwin.display import format_elapsed_h
from itbtwin.drug import (
    HIGH_DOSE_STEP_PERCENT,
    PRODUCTS,
    DoseRange,
    dose_range_for,
    step_limit_for,
)
from itbtwin.errors import RegimenError
from itbtwin.pump import DEVICES, DOSE_RESOLUTION_MCG_PER_DAY, programmable_dose
from itbtwin.sim import check_span

LONGEST_BOLUS_EFFECT_H = 72.0
"""The longest one intrathecal bolus acts: coma after an overdose lasted up to 72 h
(label:overdosage; reference pharmacology.md §1.9). A screening effect said to last longer is a
typing error (days for hours, 1e300 h), refused rather than read as "more than 8 h" (issue 17)."""


@dataclass(frozen=True)
class StartingDose:
    """The first daily pump dose and the rule that chose it."""

    daily_mcg: float
    reason: Reason


def starting_dose(
    effective_bolus_mcg: float, effect_duration_h: float | None, *, adverse_reaction: bool = False
) -> StartingDose:
    """The daily dose to start the pump at, mcg/day, from the screening result."""
    if effective_bolus_mcg <= 0:
        raise RegimenError("the effective screening bolus must be positive")
    if effect_duration_h is not None and not 0 < effect_duration_h <= LONGEST_BOLUS_EFFECT_H:
        raise RegimenError(
            f"a screening effect of {effect_duration_h:,.4g} h is impossible: expected more than "
            f"0 and at most {LONGEST_BOLUS_EFFECT_H:g} h (the longest one bolus acts, an "
            "overdose's coma, label)"
        )
    long_effect = effect_duration_h is not None and effect_duration_h > setting("start_long_effect")
    if long_effect or adverse_reaction:
        why = (
            f"the effect lasted {effect_duration_h:g} h (more than 8 h)"
            if long_effect
            else "the screening bolus caused adverse reactions"
        )
        return StartingDose(
            effective_bolus_mcg,
            Reason(
                "start_same_as_bolus",
                Verdict.PASS,
                "saulino2016-dosing",
                f"{why}: start at the screening dose, {effective_bolus_mcg:g} mcg over 24 h",
            ),
        )
    daily = setting("start_multiplier") * effective_bolus_mcg
    return StartingDose(
        daily,
        Reason(
            "start_twice_bolus",
            Verdict.PASS,
            "saulino2016-dosing",
            f"start at twice the effective bolus: {daily:g} mcg over 24 h",
        ),
    )


PHASES = ("titration", "maintenance")
"""The phases of therapy whose step limits differ (saulino2016-dosing)."""


def check_phase(phase: str) -> str:
    """Refuse a phase other than `PHASES`, even where the command does not need it (issue 17:
    `titrate --phase warp` planned without a word); return it."""
    if phase not in PHASES:
        raise RegimenError(f"unknown phase {phase!r}: titration or maintenance")
    return phase


def step_limits(origin: str, age_years: float, phase: str = "titration") -> tuple[float, float]:
    """The usual step (percent of the current daily dose) per 24 h for a patient group."""
    limit = step_limit_for(origin, age_years)
    if check_phase(phase) == "titration":
        return limit.titration_low_percent, limit.titration_high_percent
    return limit.titration_low_percent, limit.maintenance_high_percent


def range_flags(daily_mcg: float, doses: DoseRange) -> list[Reason]:
    """Flag a daily dose outside the group's typical ("most patients") or observed range."""
    low, high = doses.typical_low_mcg_per_day, doses.typical_high_mcg_per_day
    shown = f"{round(daily_mcg, 2):g}"  # the pump's 0.01 mcg/day, not a forecast's 289.767
    if not doses.observed_low_mcg_per_day <= daily_mcg <= doses.observed_high_mcg_per_day:
        return [
            Reason(
                "dose_outside_observed_range",
                Verdict.WARN,
                doses.source,
                f"{shown} mcg/day is outside every dose observed for {doses.group} "
                f"patients ({doses.observed_low_mcg_per_day:g}-"
                f"{doses.observed_high_mcg_per_day:g} mcg/day)",
            )
        ]
    if not low <= daily_mcg <= high:
        return [
            Reason(
                "dose_outside_typical_range",
                Verdict.PASS,
                doses.source,
                f"{shown} mcg/day is {'below' if daily_mcg < low else 'above'} the "
                f"{low:g}-{high:g} mcg/day most {doses.group} patients are maintained on, "
                "within the doses observed: a note, not a problem",
            )
        ]
    return []


@dataclass(frozen=True)
class StepCheck:
    """A proposed change of daily dose judged against the titration rules."""

    current_mcg: float
    proposed_mcg: float
    percent: float
    allowed: tuple[float, float]
    reasons: tuple[Reason, ...]

    @property
    def verdict(self) -> Verdict:
        """The most serious finding."""
        return worst(list(self.reasons))


def check_step(
    current_mcg: float,
    proposed_mcg: float,
    *,
    origin: str,
    age_years: float,
    hours_since_last_change: float | None = None,
    phase: str = "titration",
) -> StepCheck:
    """Judge a change of daily dose: the step size by origin, the 24 h spacing, the ranges."""
    if current_mcg <= 0 or proposed_mcg < 0:
        raise RegimenError("daily doses must be positive")
    check_deliverable(current_mcg, "a current dose")
    check_deliverable(proposed_mcg, "a proposed dose")
    percent = 100.0 * (proposed_mcg - current_mcg) / current_mcg
    low, high = step_limits(origin, age_years, phase)
    group = step_limit_for(origin, age_years).group
    reasons: list[Reason] = []
    if percent > high + 1e-9:
        reasons.append(
            Reason(
                "step_too_large",
                Verdict.BLOCK,
                "saulino2016-dosing",
                f"+{percent:.1f}% in one step; {group} allows {low:g}-{high:g}% per 24 h",
            )
        )
    elif (
        percent > HIGH_DOSE_STEP_PERCENT
        and current_mcg > dose_range_for(origin, age_years).typical_high_mcg_per_day
    ):
        reasons.append(
            Reason(
                "high_dose_step",
                Verdict.WARN,
                "saulino2016-dosing",
                f"+{percent:.1f}% at an already high dose; above 20% may be excessive",
            )
        )
    if (
        percent > 0
        and hours_since_last_change is not None
        and hours_since_last_change < setting("titration_interval")
    ):
        reasons.append(
            Reason(
                "step_too_soon",
                Verdict.BLOCK,
                "saulino2016-dosing",
                f"the last change was {_ago(hours_since_last_change)}; raise at most once "
                "per 24 h (the effect of a change peaks at 24-48 h)",
            )
        )
    reasons.extend(_large_decrease(current_mcg, proposed_mcg))
    reasons.extend(range_flags(proposed_mcg, dose_range_for(origin, age_years)))
    return StepCheck(current_mcg, proposed_mcg, percent, (low, high), tuple(reasons))


def _ago(hours: float) -> str:
    """How long ago a change was, as a clinician says it: "under an hour ago", "6 h ago"."""
    return "under an hour ago" if hours < 1 else f"{format_elapsed_h(hours)} ago"


def _large_decrease(current_mcg: float, proposed_mcg: float) -> list[Reason]:
    """WARN for a cut beyond the label's 10-20% side-effect reduction (label:titration, from
    memory, verify: a setting): an abrupt large cut risks withdrawal. `check-program` words it
    with the withdrawal its dry run predicts (`clinic._program_review.decrease_reasons`)."""
    cut = 100.0 * (current_mcg - proposed_mcg) / current_mcg
    low, high = setting("side_effect_reduction_min"), setting("side_effect_reduction_max")
    if cut <= high + 1e-9:
        return []
    text = (
        f"{current_mcg:g} → {proposed_mcg:g} mcg/day is a {cut:.0f}% cut; the label reduces by "
        f"{low:g}-{high:g}% at a time: a larger cut risks withdrawal"
    )
    return [Reason("large_decrease", Verdict.WARN, "label:titration", text)]


def side_effect_reduction(current_mcg: float) -> tuple[float, float]:
    """The daily doses after the label's 10–20% reduction for side effects (mcg/day, high, low)."""
    return (
        programmable_dose(current_mcg * (1 - setting("side_effect_reduction_min") / 100)),
        programmable_dose(current_mcg * (1 - setting("side_effect_reduction_max") / 100)),
    )


@dataclass(frozen=True)
class PlanStep:
    """One step of a titration plan: from `day` (0 = start), give `daily_mcg` mcg/day."""

    day: int
    daily_mcg: float


def max_deliverable_mcg_per_day() -> float:
    """The largest daily dose (mcg/day) any catalogue pump can give: its highest rate (mL/day,
    `pump` catalogue with sources) times the strongest product (mcg/mL, `drug.PRODUCTS`)."""
    rate = max(d.max_rate_ml_per_day or 0.0 for d in DEVICES.values())
    return rate * max(p.concentration_mcg_per_ml for p in PRODUCTS)


def check_deliverable(daily_mcg: float, what: str) -> None:
    """Refuse a daily dose (mcg/day) no catalogue pump can deliver (`max_deliverable_mcg_per_day`):
    10^308 mcg/day would overflow the model, 1e300 was read as a dose (issue 17)."""
    most = max_deliverable_mcg_per_day()
    if not daily_mcg <= most:
        shown = f"{daily_mcg:,.0f}" if daily_mcg < 1e9 else "over 1,000,000,000"
        raise RegimenError(
            f"{what} of {shown} mcg/day is more than any pump in the catalogue can deliver "
            f"({most:,.0f} mcg/day: its fastest rate with the strongest product)"
        )


def check_upward(start_mcg: float, target_mcg: float) -> None:
    """Refuse a target below the start (mcg/day): titration raises the dose by the steps above
    (saulino2016-dosing), and the label plans no stepwise descent; it lowers a dose for side
    effects by 10-20% at a time (label:titration, from memory, verify: a setting), each cut a
    change to check on its own. A plan that held the start was shown for such a target (issue
    17)."""
    if target_mcg >= start_mcg:
        return
    high, low = side_effect_reduction(start_mcg)
    raise RegimenError(
        f"the target {target_mcg:g} mcg/day is below the starting {start_mcg:g} mcg/day: a "
        f"titration plan only raises the dose. To lower it, the label cuts "
        f"{setting('side_effect_reduction_min'):g}-{setting('side_effect_reduction_max'):g}% "
        f"at a time for side effects ({high:g} to {low:g} mcg/day from {start_mcg:g}); check "
        "each cut as a dose change"
    )


def titration_plan(
    start_mcg: float,
    target_mcg: float,
    *,
    origin: str,
    age_years: float,
    step_percent: float | None = None,
    days_per_step: int = 1,
    resolution_mcg_per_day: float = DOSE_RESOLUTION_MCG_PER_DAY,
) -> list[PlanStep]:
    """Steps from `start_mcg` to `target_mcg`: the largest allowed step unless `step_percent` is
    given, each held `days_per_step` days (step dosing for outpatients, saulino2016-dosing).

    Doses are what the clinician programs: rounded down to the pump's programming resolution
    (`pump.programmable_dose`, 0.01 mcg/day by default, from memory, verify), so no step exceeds
    the percentage asked for: 100 → 115 → 132.25 at 15%. A target below the start is refused
    (`check_upward`); one equal to it holds the start.
    """
    low, high = step_limits(origin, age_years)
    percent = high if step_percent is None else step_percent
    if not low <= percent <= high:
        raise RegimenError(f"a step of {percent:g}% is outside the allowed {low:g}-{high:g}%")
    if days_per_step < 1:
        raise RegimenError("each step lasts at least one day")
    check_span(24.0 * days_per_step, "a step of the titration (--days-per-step)")
    if not start_mcg > 0:
        raise RegimenError("the starting dose must be positive")
    check_deliverable(start_mcg, "a starting dose")
    check_deliverable(target_mcg, "a target dose")
    check_upward(start_mcg, target_mcg)
    steps = [PlanStep(0, start_mcg)]
    while steps[-1].daily_mcg < target_mcg:
        raised = programmable_dose(
            steps[-1].daily_mcg * (1 + percent / 100), resolution_mcg_per_day
        )
        if raised <= steps[-1].daily_mcg:
            raise RegimenError(
                f"{start_mcg:g} mcg/day is too small to titrate in {resolution_mcg_per_day:g} "
                "mcg/day steps"
            )
        steps.append(PlanStep(len(steps) * days_per_step, min(raised, target_mcg)))
        check_span(24.0 * steps[-1].day, "the titration plan (steps × --days-per-step)")
    return steps
