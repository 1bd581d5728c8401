"""The simulated course of a dose plan: CSF concentration and MAS day by day (typical patient)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itbtwin.clinic._screening import ScreeningBolus
from itbtwin.clinic._titration import PlanStep
from itbtwin.patient import MAS_GRADES, BaclofenPk, Baseline, effect_timing
from itbtwin.sim import InputSchedule, Regimen, bolus, output_grid, predict, typical_effect
from itbtwin.sim._predict import choose_model


@dataclass(frozen=True)
class CourseDay:
    """The end of one day of a plan: dose given, lumbar CSF (ng/mL) and MAS grade at 24 h
    (None: no baseline MAS given, so no MAS predicted)."""

    day: int
    daily_mcg: float
    csf_lumbar_ng_ml: float
    mas_grade: str | None


def plan_course(
    plan: list[PlanStep],
    systemic: BaclofenPk,
    baseline: Baseline | None,
    *,
    extra_days: int = 2,
) -> list[CourseDay]:
    """Simulate a titration plan as a continuous infusion changing at each step; report each day.

    The effect parameters are the drug-naive typical patient's (a new pump: no tolerance yet).
    The MAS is relative to the patient's `baseline`; without one only the CSF is predicted (the
    label's titration steps do not need the MAS, and none is guessed).
    """
    days = plan[-1].day + extra_days + 1
    model, _, _ = choose_model(systemic)
    schedule = InputSchedule.from_routes(
        model,
        np.array([24.0 * s.day for s in plan]),
        rates={"intrathecal": np.array([s.daily_mcg / 24 for s in plan])},
    )
    ends = np.arange(1, days + 1) * 24.0
    if baseline is None:
        prediction = predict(systemic, schedule, ends)
        grades: list[str | None] = [None] * days
    else:
        prediction = predict(systemic, schedule, ends, effect=typical_effect(), baseline=baseline)
        grades = [str(g) for g in prediction.response.scores.mas_grade[0]]  # type: ignore[union-attr]
    csf = prediction.result.concentration_ng_ml("csf_lumbar")[0]
    doses = [next(s.daily_mcg for s in reversed(plan) if s.day <= d) for d in range(days)]
    return [CourseDay(d, doses[d], float(csf[d]), grades[d]) for d in range(days)]


@dataclass(frozen=True)
class PredictedBolus:
    """What the model predicts for a screening bolus in the typical drug-naive patient.

    Times in h from the bolus; `effect_duration_h` is `EFFECT_DURATION` (onset to the end of
    the visible effect), the duration the titration's 8 h rule reads.
    """

    best_mas: str
    onset_h: float
    peak_h: float
    effect_duration_h: float


def predict_screening(given: ScreeningBolus, systemic: BaclofenPk) -> PredictedBolus:
    """The typical patient's response to ``given`` (same dose and baseline MAS), over 24 h."""
    prediction = predict(
        systemic,
        Regimen([bolus(given.dose_mcg)]),
        output_grid(24, 0.05),
        effect=typical_effect(),
        baseline=Baseline(mas=given.baseline_mas),
    )
    response = prediction.response
    timing = effect_timing(response)  # type: ignore[arg-type]
    grades = response.scores.mas_grade[0]  # type: ignore[union-attr]
    best = min(grades, key=MAS_GRADES.index)
    return PredictedBolus(
        str(best),
        float(timing.onset_h[0]),
        float(timing.peak_h[0]),
        float(timing.duration_h[0]),
    )
