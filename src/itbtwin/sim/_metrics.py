"""Exposure metrics of a simulation: Cmax, Tmax, trough, AUC, half-life, time to steady state."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from itbtwin.errors import RegimenError
from itbtwin.patient import LinearModel, Output, steady_state_gain
from itbtwin.sim._events import Regimen, bolus
from itbtwin.sim._propagate import propagators
from itbtwin.sim._result import SimulationResult
from itbtwin.sim._solve import output_grid, solve

TROUGH_WINDOW_H = 24.0
"""Cmin is the lowest concentration over the last 24 h (a day of maintenance dosing)."""


LABEL_HALF_LIFE_WINDOW_H = 4.0
"""The label measured the lumbar CSF half-life over the first 4 h after a bolus (label:12.3)."""


def apparent_half_life_h(
    model: LinearModel, params: Any, output: Output, window_h: float = LABEL_HALF_LIFE_WINDOW_H
) -> np.ndarray:
    """Half-life (h) of an output's decline after an intrathecal bolus, as the label measured it:
    ln 2 over the slope of a log-linear fit to samples every 0.25 h from 0.25 h after the output's
    peak to ``window_h`` after it (the first minutes are mixing inside the segment, not decline).

    For outputs with no own disposition (a segment of the spatial model's chain, whose own
    outflow rate says only how fast drug passes through 1.5 mL of CSF: minutes).
    """
    times = output_grid(48.0 + window_h, 0.25)
    result = solve(model, params, Regimen([bolus(1.0)]), times)
    values = []
    for conc in result.concentration_ng_ml(output.name):
        peak = times[int(np.argmax(conc))]
        inside = (times > peak + 1e-9) & (times <= peak + window_h + 1e-9) & (conc > 0)
        slope = np.polyfit(times[inside], np.log(conc[inside]), 1)[0]
        values.append(math.log(2.0) / -slope if slope < 0 else math.inf)
    return np.array(values)


def terminal_half_life_h(model: LinearModel, params: Any, output: Output) -> np.ndarray:
    """Half-life (h) of an output's own disposition: ln 2 / slowest rate of its states' block;
    for an output without one, the apparent half-life after a bolus (`apparent_half_life_h`)."""
    if not output.disposition:
        return apparent_half_life_h(model, params, output)
    k = model.matrix(params)
    index = [model.states.index(s) for s in output.disposition]
    block = k[:, index][:, :, index]
    slowest = np.min(np.abs(np.linalg.eigvals(block).real), axis=1)
    return math.log(2.0) / slowest


def time_to_steady_state_h(
    model: LinearModel, params: Any, route: str, output: Output, fraction: float = 0.9
) -> float:
    """Time (h) for a constant ``route`` input to bring ``output`` to ``fraction`` of steady state.

    Exact: the response to a unit input from zero is Γ(t) u, its limit `steady_state_gain`; the
    crossing is found by bisection on exact propagators (first patient of a batch).
    """
    k = model.matrix(params)[:1]
    u = np.zeros(len(model.states))
    u[model.states.index(model.routes[route])] = 1.0
    volume = model.volume(params, output)[0]
    target = fraction * float(steady_state_gain(model, params, route, output.name)[0]) * volume
    if target <= 0:
        raise RegimenError(f"{output.label} never rises with a constant {route} input")
    state = model.states.index(output.state)

    def level(t: float) -> float:
        return float((propagators(k, t)[1][0] @ u)[state])

    low, high = 0.0, 1.0
    while level(high) < target:
        low, high = high, high * 2
        if high > 1e5:
            raise RegimenError(f"{output.label} does not reach steady state within 1e5 h")
    for _ in range(60):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if level(middle) < target else (low, middle)
    return 0.5 * (low + high)


def summarize(result: SimulationResult, patient: int = 0) -> dict[str, dict[str, float]]:
    """Per output: Cmax, Tmax, Cmin over the last 24 h, AUC over the run (exact), terminal t½ and
    time to 90% steady state for the regimen's first route. Concentrations ng/mL, times h."""
    if result.auc_amounts is None:
        raise RegimenError("summaries need a simulation run with auc=True")
    times = result.times_h
    last_day = times >= times[-1] - TROUGH_WINDOW_H
    routes = getattr(result.inputs, "routes", ()) or ("intrathecal",)
    summary: dict[str, dict[str, float]] = {}
    for output in result.model.outputs:
        conc = result.concentration_ng_ml(output.name)[patient]
        peak = int(np.argmax(conc))
        summary[output.name] = {
            "cmax_ng_ml": float(conc[peak]),
            "tmax_h": float(times[peak]),
            "cmin_last_24h_ng_ml": float(conc[last_day].min()),
            "auc_ng_h_ml": float(result.auc_ng_h_ml(output.name)[patient, -1]),
            "half_life_h": float(
                terminal_half_life_h(result.model, result.params, output)[patient]
            ),
            "time_to_90pct_steady_state_h": time_to_steady_state_h(
                result.model, result.params, routes[0], output
            ),
        }
    return summary
