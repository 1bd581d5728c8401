"""The twin: the pump's delivery compiled into the exact PK solver's input schedule, one outcome.

Drug at the catheter tip enters lumbar CSF (route ``intrathecal``); drug leaking from a broken
catheter or injected into the pocket enters plasma (route ``subcutaneous``); oral baclofen enters
the gut. A patient already on therapy (primed catheter) starts at steady state: the schedule runs
`RUN_IN_H` hours of the first hour's delivery before hour 0 [derived: > 10 plasma half-lives].
"""

from __future__ import annotations

import numpy as np

from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.pump import Delivery, deliver
from itbtwin.sim._scenario import OralDose, Scenario
from itbtwin.sim._schedule import InputSchedule
from itbtwin.sim._solve import output_grid, solve
from itbtwin.sim._twin_outcome import TwinOutcome, build_outcome, steady_state_ng_ml
from itbtwin.sim._twin_response import EFFECT_SITE, controlled_effect
from itbtwin.sim._twin_tolerance import tolerance_course

RUN_IN_H = 96.0
"""Hours of steady delivery before hour 0 for a patient already on therapy."""


def twin_schedule(
    delivery: Delivery, orals: tuple[OralDose, ...], run_in_h: float
) -> InputSchedule:
    """The solver's piecewise-constant inputs (mcg/h, mcg), shifted by ``run_in_h`` hours."""
    oral_times = sorted({t for dose in orals for t in dose.times_h if t <= delivery.span_h})
    points = np.union1d(delivery.breakpoints_h, oral_times)
    segment = np.searchsorted(delivery.breakpoints_h, points, side="right") - 1
    at_breakpoint = np.isin(points, delivery.breakpoints_h)
    oral = np.zeros(points.size)
    for dose in orals:
        for t in dose.times_h:
            if t <= delivery.span_h:
                oral[np.searchsorted(points, t)] += dose.dose_mcg
    rates = {
        "intrathecal": delivery.intrathecal_mcg_per_h[segment],
        "subcutaneous": delivery.tissue_mcg_per_h[segment],
    }
    boluses = {
        "intrathecal": np.where(at_breakpoint, delivery.intrathecal_bolus_mcg[segment], 0.0),
        "subcutaneous": np.where(at_breakpoint, delivery.subcutaneous_bolus_mcg[segment], 0.0),
        "oral": oral,
    }
    if run_in_h > 0:
        points = np.concatenate(([0.0], points + run_in_h))
        rates = {k: np.concatenate((v[:1], v)) for k, v in rates.items()}
        boluses = {k: np.concatenate(([0.0], v)) for k, v in boluses.items()}
    return InputSchedule.from_routes(COMPACT, points, rates=rates, boluses=boluses)


def run_twin(scenario: Scenario, params: BaclofenPk | None = None) -> TwinOutcome:
    """Run a scenario: pump delivery, exact PK, and the outcome (series, events, summary).

    **Arguments:**
    - `scenario`: a validated `Scenario` (`load_scenario`).
    - `params`: PK parameters; by default those of the scenario's patient (weight, age).

    **Returns:** a `TwinOutcome` on the scenario's output grid (default hourly), with MAS and
    Penn scores of a patient controlled on the prescription at hour 0 (`_twin_response`), whose
    tolerance fades while no drug reaches the tip (`_twin_tolerance`).
    """
    patient = scenario.patient
    params = params or BaclofenPk.for_patient(
        weight_kg=patient.weight_kg, age_years=patient.age_years
    )
    delivery = deliver(scenario.therapy)
    run_in = RUN_IN_H if scenario.therapy.primed else 0.0
    schedule = twin_schedule(delivery, scenario.orals, run_in)
    times = output_grid(scenario.span_h, scenario.output_step_h)
    prescribed = scenario.therapy.program_at(0.0).daily_dose_mcg() / 24
    reference = steady_state_ng_ml(params, prescribed)
    effect = controlled_effect(reference[EFFECT_SITE])
    result = solve(COMPACT, params, schedule, times + run_in, effect_sites={EFFECT_SITE: effect})
    tolerance = tolerance_course(delivery, times, float(np.max(effect.tolerance)))
    return build_outcome(scenario, delivery, result, times, reference, effect, tolerance)
