"""Benchmark: one year of pump therapy with hourly output, through the whole twin.

Runs `run_twin` on two one-year scenarios (simple continuous with monthly refills; a four-step flex
program with monthly refills), takes the median of several runs, and measures in the same run a
baseline: the same year's delivery integrated with `scipy.integrate.solve_ivp` (LSODA, segment by
segment, hourly output). Prints wall times, the ratio and the largest concentration difference.

    .venv/bin/python benchmarks/twin_year.py
"""

from __future__ import annotations

import itertools
import statistics
import time

import numpy as np
from scipy.integrate import solve_ivp

from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.pump import deliver
from itbtwin.sim import run_twin, twin_schedule, typical_scenario
from itbtwin.sim._twin import RUN_IN_H

CONTINUOUS = {"mode": "continuous", "daily_dose": "250 mcg/day"}
FLEX = {
    "mode": "flex",
    "step": [
        {"start": "00:00", "duration": "6 h", "rate": "200 mcg/day"},
        {"start": "06:00", "duration": "3 h", "rate": "400 mcg/day"},
        {"start": "09:00", "duration": "13 h", "rate": "250 mcg/day"},
        {"start": "22:00", "duration": "2 h", "rate": "200 mcg/day"},
    ],
}
REFILLS = [
    {"at": f"{30 * k} day", "volume": "20 mL", "concentration": "500 mcg/mL"} for k in range(1, 13)
]


def baseline(scenario, params: BaclofenPk) -> tuple[float, np.ndarray]:
    """Wall time (s) and lumbar CSF (ng/mL) of the same year with solve_ivp, hourly."""
    start = time.perf_counter()
    schedule = twin_schedule(deliver(scenario.therapy), scenario.orals, RUN_IN_H)
    k = COMPACT.matrix(params)[0]
    bounds = np.append(schedule.breakpoints_h, RUN_IN_H + scenario.span_h)
    wanted = RUN_IN_H + np.arange(0, scenario.span_h + 1)
    state = np.zeros(k.shape[0])
    saved = []
    for b, (a, z) in enumerate(itertools.pairwise(bounds)):
        state = state + schedule.boluses[b]
        u = schedule.rates[b]
        inside = wanted[(wanted >= a) & (wanted < z)]
        sol = solve_ivp(
            lambda _t, y, u=u: k @ y + u,
            (a, z),
            state,
            "LSODA",
            t_eval=np.append(inside, z),
            rtol=1e-8,
            atol=1e-10,
        )
        saved.append(sol.y.T[:-1])
        state = sol.y[:, -1]
    amounts = np.concatenate(saved)
    lumbar = amounts[:, COMPACT.states.index("lumbar")] / params.v_lumbar_ml * 1000
    return time.perf_counter() - start, lumbar


def main() -> None:
    params = BaclofenPk.for_patient(70.0, 40.0)
    for label, program in (("continuous", CONTINUOUS), ("flex, 4 steps", FLEX)):
        scenario = typical_scenario(
            label,
            duration="365 day",
            concentration="500 mcg/mL",
            program=program,
            time_zone="Europe/London",
            refills=REFILLS,
        )
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            outcome = run_twin(scenario, params)
            runs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        delivery = deliver(scenario.therapy)
        pump_s = time.perf_counter() - t0
        twin_s = statistics.median(runs)
        ivp_s, lumbar = baseline(scenario, params)
        twin = outcome.series["csf_lumbar_ng_ml"]
        n = min(twin.size, lumbar.size)
        diff = np.max(np.abs(twin[:n] - lumbar[:n]) / np.maximum(twin[:n], 1e-9))
        print(
            f"one year, hourly ({label}): twin {twin_s * 1000:.0f} ms median of 5 "
            f"(pump delivery {pump_s * 1000:.0f} ms, {delivery.breakpoints_h.size} segments, "
            f"{twin.size} outputs); solve_ivp baseline {ivp_s * 1000:.0f} ms; "
            f"ratio {ivp_s / twin_s:.1f}x; max relative CSF difference {diff:.1e}"
        )


if __name__ == "__main__":
    main()
