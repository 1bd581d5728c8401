"""Factories for the scale tests: random patients, random regimens, small trials."""

from __future__ import annotations

from typing import Any

import numpy as np

from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.scale import Trial, parse_trial
from itbtwin.sim import InputSchedule, Regimen, bolus, infusion, repeated

KERNEL_BACKENDS = ["numba", "numpy"]


def random_patients(rng: np.random.Generator, n: int) -> BaclofenPk:
    """Adults with ±40% log-normal spread on clearances and volumes."""

    def spread(value: float) -> np.ndarray:
        return value * np.exp(0.4 * rng.standard_normal(n))

    typical = BaclofenPk.adult()
    return typical.replace(
        cl_csf_ml_h=spread(typical.cl_csf_ml_h),
        v_lumbar_ml=spread(typical.v_lumbar_ml),
        v_central_ml=spread(typical.v_central_ml),
        q_plasma_ml_h=spread(typical.q_plasma_ml_h),
        ka_oral_per_h=spread(typical.ka_oral_per_h),
    )


def random_regimen(rng: np.random.Generator, end_h: float) -> Regimen:
    """Intrathecal infusions and boluses and oral doses at random (off-grid) times."""
    events = [
        infusion(rng.uniform(50, 900), start_h=rng.uniform(0, end_h / 2), duration_h=end_h / 3),
        bolus(rng.uniform(10, 100), at_h=rng.uniform(0, end_h)),
        repeated(rng.uniform(5e3, 2e4), every_h=8, times=3, start_h=rng.uniform(0, end_h / 2)),
    ]
    return Regimen(events)


def random_schedule(rng: np.random.Generator, n: int, end_h: float) -> InputSchedule:
    """Per-patient intrathecal rates and boluses on shared breakpoints."""
    breakpoints = np.sort(np.append(0.0, rng.uniform(0, end_h, 4)))
    rates = rng.uniform(0, 40, (n, breakpoints.size))
    boluses = rng.uniform(0, 50, (n, breakpoints.size)) * (rng.random((n, breakpoints.size)) < 0.5)
    return InputSchedule.from_routes(
        COMPACT, breakpoints, rates={"intrathecal": rates}, boluses={"intrathecal": boluses}
    )


def small_trial(**changes: Any) -> Trial:
    """A 5-day trial of 3,000 adults with variability, every built-in outcome."""
    data: dict[str, Any] = {
        "name": "small",
        "seed": 7,
        "duration_days": 5,
        "output_step_h": 1.0,
        "population": {
            "size": 3000,
            "block_size": 256,
            "generator": {"kind": "baclofen", "variability": {"cl_csf_ml_h": 0.3}},
        },
        "regimen": [{"bolus": "100 mcg", "every_h": 12, "times": 10}],
        "outcomes": [
            {"kind": "quantiles", "outputs": ["csf_lumbar", "plasma"]},
            {"kind": "steady_state", "output": "csf_lumbar", "thresholds_ng_ml": [50, 100]},
            {"kind": "time_in_range", "output": "csf_lumbar", "below_ng_ml": 100},
            {"kind": "episodes", "output": "csf_lumbar", "below_ng_ml": 100},
        ],
    }
    for key, value in changes.items():
        target = data
        *path, last = key.split("__")
        for part in path:
            target = target.setdefault(part, {})
        target[last] = value
    return parse_trial(data)


def same_tallies(a: Any, b: Any) -> bool:
    """True when two trial results hold bit-identical tallies for the same patients."""
    return a.n_patients == b.n_patients and all(
        ta.keys() == tb.keys() and all(np.array_equal(ta[k], tb[k]) for k in ta)
        for ta, tb in zip(a.tallies, b.tallies, strict=True)
    )
