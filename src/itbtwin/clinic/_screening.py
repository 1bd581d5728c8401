"""The screening trial: the label's bolus ladder and the decision after each observed bolus.

Ladder 50 → 75 → 100 mcg, at least 24 h apart, each observed 4–8 h (label:screening); 25 mcg
first for very small or spasticity-dependent patients (boster2016); no response to 100 mcg means
the patient is not a candidate for chronic infusion (label:screening). A positive response is a
"significant decrease in muscle tone and/or frequency and/or severity of spasms"; how many grades
count as significant is a configurable setting, not a published number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.clinic._settings import setting
from itbtwin.errors import RegimenError
from itbtwin.patient import MAS_GRADES

SERIOUS_ADVERSE = ("respiratory depression", "coma", "seizure", "loss of consciousness")
"""Overdose signs of the label (§1.9 of the reference) that stop escalation."""


class ScreeningStatus(StrEnum):
    """What the team does next."""

    ELIGIBLE = "eligible"
    NEXT_DOSE = "next dose"
    NOT_A_CANDIDATE = "not a candidate"


def ladder(small_or_sensitive: bool = False) -> tuple[float, ...]:
    """The screening doses in order, mcg."""
    doses = tuple(
        setting(name)
        for name in ("screening_first_dose", "screening_second_dose", "screening_third_dose")
    )
    return (setting("screening_small_patient_dose"), *doses) if small_or_sensitive else doses


def effective_bolus_reasons(dose_mcg: float) -> list[Reason]:
    """A WARN for an effective screening bolus (mcg) off the label's ladder (25, 50, 75, 100
    mcg): above 100 mcg the label does not consider the patient for chronic infusion, and any
    other dose is not one the label screens with. A clinician may mean it (a centre's own
    protocol), so it is said, not refused; the pump then starts from it (issue 17)."""
    doses = ladder(small_or_sensitive=True)
    if dose_mcg in doses:
        return []
    if dose_mcg > max(doses):
        text = (
            f"an effective screening bolus of {dose_mcg:g} mcg is above the label's last "
            f"screening dose ({max(doses):g} mcg): a patient who does not respond to "
            f"{max(doses):g} mcg is not a candidate for chronic infusion; check the dose and unit"
        )
        return [Reason("bolus_above_ladder", Verdict.WARN, "label:screening", text)]
    shown = ", ".join(f"{d:g}" for d in doses)
    text = (
        f"{dose_mcg:g} mcg is not a dose of the label's screening ladder ({shown} mcg): check "
        "the dose given; the start is worked out from it"
    )
    return [Reason("bolus_off_ladder", Verdict.WARN, "label:screening", text)]


@dataclass(frozen=True)
class ScreeningBolus:
    """One screening bolus and what was observed after it.

    `time_h` from the first bolus; MAS as grades ("0", "1", "1+", "2", "3", "4"); Penn spasm
    frequency 0–4 before and at best, both or neither (None: not scored, never read as 0);
    `effect_duration_h` how long the effect lasted (None when there was none).
    """

    dose_mcg: float
    time_h: float
    baseline_mas: str
    best_mas: str
    baseline_penn_frequency: int | None = None
    best_penn_frequency: int | None = None
    effect_duration_h: float | None = None
    adverse_effects: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for grade in (self.baseline_mas, self.best_mas):
            if grade not in MAS_GRADES:
                raise RegimenError(f"MAS grade {grade!r} is not one of {', '.join(MAS_GRADES)}")
        scores = (self.baseline_penn_frequency, self.best_penn_frequency)
        if (scores[0] is None) != (scores[1] is None):
            raise RegimenError("give the Penn spasm frequency before and at best, or neither")
        for score in scores:
            if score is not None and score not in range(5):
                raise RegimenError(f"Penn spasm frequency {score} is not in 0-4")
        if self.time_h < 0 or self.dose_mcg <= 0:
            raise RegimenError("a screening bolus needs a positive dose and a time >= 0")

    @property
    def mas_drop(self) -> int:
        """Improvement in ordinal MAS steps (1+ counts as its own step)."""
        return MAS_GRADES.index(self.baseline_mas) - MAS_GRADES.index(self.best_mas)

    @property
    def positive(self) -> bool:
        """A significant decrease in tone or in spasm frequency (settings)."""
        spasms = self.penn_drop or 0
        return self.mas_drop >= setting("screening_positive_mas_drop") or spasms >= setting(
            "screening_positive_penn_drop"
        )

    @property
    def penn_drop(self) -> int | None:
        """Fewer spasms in Penn frequency steps (None: not scored)."""
        if self.baseline_penn_frequency is None or self.best_penn_frequency is None:
            return None
        return self.baseline_penn_frequency - self.best_penn_frequency

    @property
    def observed(self) -> str:
        """What was observed, for a clinician: MAS, and Penn frequency when it was scored."""
        mas = f"MAS {self.baseline_mas} → {self.best_mas}"
        if self.penn_drop is None:
            return mas
        return f"{mas}, Penn frequency {self.baseline_penn_frequency} → {self.best_penn_frequency}"

    @property
    def serious_adverse(self) -> tuple[str, ...]:
        """The overdose signs among the adverse effects."""
        return tuple(a for a in self.adverse_effects if a.lower() in SERIOUS_ADVERSE)


@dataclass(frozen=True)
class ScreeningDecision:
    """The outcome after the boluses given so far, with the rules that fired."""

    status: ScreeningStatus
    reasons: tuple[Reason, ...]
    next_dose_mcg: float | None = None
    earliest_next_h: float | None = None
    effective_dose_mcg: float | None = None
    effect_duration_h: float | None = None
    adverse_reaction: bool = False


def _check_ladder(boluses: list[ScreeningBolus], doses: tuple[float, ...]) -> list[Reason]:
    reasons = []
    for step, given in enumerate(boluses):
        if step >= len(doses) or given.dose_mcg != doses[step]:
            expected = doses[step] if step < len(doses) else "none (the ladder ends at 100 mcg)"
            raise RegimenError(
                f"screening bolus {step + 1} was {given.dose_mcg:g} mcg; the ladder expects "
                f"{expected} (label:screening)"
            )
        if step and given.time_h <= boluses[step - 1].time_h:  # "came -24 h after" (issue 17)
            raise RegimenError(
                f"screening bolus {step + 1} at {given.time_h:g} h is not after bolus {step} "
                f"({boluses[step - 1].time_h:g} h): list the boluses in the order given, each "
                "at its own time"
            )
        if step and given.time_h - boluses[step - 1].time_h < setting("screening_min_interval"):
            reasons.append(
                Reason(
                    "screening_interval",
                    Verdict.WARN,
                    "label:screening",
                    f"bolus {step + 1} came {given.time_h - boluses[step - 1].time_h:g} h after "
                    "the previous one; the label asks for at least 24 h",
                )
            )
    return reasons


def decide_screening(
    boluses: list[ScreeningBolus], *, small_or_sensitive: bool = False
) -> ScreeningDecision:
    """Decide after the boluses so far: eligible, the next dose (and when), or not a candidate."""
    doses = ladder(small_or_sensitive)
    if not boluses:
        return ScreeningDecision(
            ScreeningStatus.NEXT_DOSE,
            (
                Reason(
                    "screening_start",
                    Verdict.PASS,
                    "label:screening+boster2016",
                    f"start with {doses[0]:g} mcg by barbotage over at least 1 minute; observe "
                    "4-8 h, cardiopulmonary checks often in the first 2 h, tone at least twice "
                    "within 4 h",
                ),
            ),
            next_dose_mcg=doses[0],
            earliest_next_h=0.0,
        )
    reasons = _check_ladder(boluses, doses)
    last = boluses[-1]
    if last.serious_adverse:
        reasons.append(
            Reason(
                "screening_overdose",
                Verdict.BLOCK,
                "label:overdosage",
                f"{', '.join(last.serious_adverse)} after {last.dose_mcg:g} mcg: stop the "
                "trial and treat as overdose; do not escalate",
            )
        )
        return ScreeningDecision(
            ScreeningStatus.NOT_A_CANDIDATE, tuple(reasons), adverse_reaction=True
        )
    if last.positive:
        reasons.append(
            Reason(
                "screening_positive",
                Verdict.PASS,
                "label:screening",
                f"significant decrease in tone or spasms after {last.dose_mcg:g} mcg "
                f"({last.observed})",
            )
        )
        return ScreeningDecision(
            ScreeningStatus.ELIGIBLE,
            tuple(reasons),
            effective_dose_mcg=last.dose_mcg,
            effect_duration_h=last.effect_duration_h,
            adverse_reaction=bool(last.adverse_effects),
        )
    if len(boluses) == len(doses):
        reasons.append(
            Reason(
                "screening_non_responder",
                Verdict.BLOCK,
                "label:screening",
                f"no response to {last.dose_mcg:g} mcg: not a candidate for chronic infusion",
            )
        )
        return ScreeningDecision(ScreeningStatus.NOT_A_CANDIDATE, tuple(reasons))
    following = doses[len(boluses)]
    reasons.append(
        Reason(
            "screening_escalate",
            Verdict.PASS,
            "label:screening",
            f"no significant response to {last.dose_mcg:g} mcg: give {following:g} mcg at "
            "least 24 h after it",
        )
    )
    return ScreeningDecision(
        ScreeningStatus.NEXT_DOSE,
        tuple(reasons),
        next_dose_mcg=following,
        earliest_next_h=last.time_h + setting("screening_min_interval"),
    )
