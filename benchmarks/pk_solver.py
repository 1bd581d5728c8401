"""Issue 2: the exact solver `itbtwin.sim.solve` against `scipy.integrate.solve_ivp`, same work.

Work: the compact baclofen model (8 states), 500 mcg/day intrathecal infusion for 30 days plus a
50 mcg bolus at 24 h, hourly output (721 times), 1 patient and 10,000 patients (log-normal CV 30%
on CSF clearance). `solve_ivp` (LSODA, rtol 1e-10, atol 1e-12 mcg, the bolus applied between two
integrations) runs patient by patient on a sample of `SAMPLE` patients and its time is
extrapolated linearly to 10,000 (it has no batch mode: each patient is a separate solve). Ratios
are measured in the same run. Agreement: largest relative difference of the lumbar CSF amounts
(points above 1e-6 of the peak). The fast kernel (`itbtwin.scale.amounts`, same 8 states, same
output) is shown beside the reference solver, with its difference from it (relative to the peak).

Run: .venv/bin/python benchmarks/pk_solver.py
"""

from __future__ import annotations

import time
from itertools import pairwise

import numpy as np
from scipy.integrate import solve_ivp

from _common import best_time, machine, machine_line, max_relative_error, show, write
from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.scale import amounts
from itbtwin.sim import Regimen, bolus, compile_regimen, infusion, output_grid, solve

SAMPLE = 20
DAYS = 30


def population(n: int) -> BaclofenPk:
    """n adults, CSF clearance log-normal (CV 30%), seed 2."""
    eta = np.random.default_rng(2).standard_normal(n)
    return BaclofenPk.adult(cl_csf_ml_h=30.0 * np.exp(np.sqrt(np.log1p(0.3**2)) * eta))


def ivp_patient(k: np.ndarray, regimen: Regimen, times: np.ndarray) -> np.ndarray:
    """Amounts (T, S) of one patient by LSODA, one integration per constant-input segment."""
    schedule = compile_regimen(COMPACT, regimen)
    x = np.zeros(k.shape[0])
    out = np.empty((times.size, k.shape[0]))
    edges = np.append(schedule.breakpoints_h, times[-1])
    for b, (start, stop) in enumerate(pairwise(edges)):
        x = x + schedule.boluses[b]
        inside = (times >= start) & ((times < stop) | (stop == times[-1]))
        if start >= stop:
            out[inside] = x
            continue
        solution = solve_ivp(
            lambda _t, a, rate=schedule.rates[b]: k @ a + rate,
            (start, stop),
            x,
            method="LSODA",
            t_eval=np.unique(np.append(times[inside], stop)),
            rtol=1e-10,
            atol=1e-12,
            jac=lambda _t, _a: k,
        )
        out[inside] = solution.y.T[: np.count_nonzero(inside)]
        x = solution.y[:, -1]
    return out


def main() -> None:
    info = machine()
    regimen = Regimen([infusion(500, duration_h=DAYS * 24), bolus(50, at_h=24)])
    times = output_grid(DAYS * 24.0, 1.0)
    rows, records = [], []
    for n in (1, 10_000):
        params = population(n)
        exact_s, exact = best_time(
            lambda p=params: solve(COMPACT, p, regimen, times), 3 if n == 1 else 1
        )
        fast_s, fast = best_time(lambda p=params: amounts(COMPACT, p, regimen, times), 5)
        sample = min(n, SAMPLE)
        k = COMPACT.matrix(params)
        start = time.perf_counter()
        ivp = np.stack([ivp_patient(k[i], regimen, times) for i in range(sample)])
        ivp_s = (time.perf_counter() - start) / sample * n
        lumbar = COMPACT.states.index("lumbar")
        error = max_relative_error(ivp[:, :, lumbar], exact.amounts[:sample, :, lumbar])
        how = "measured" if sample == n else f"{sample} patients, ×{n // sample} extrapolated"
        fast_error = float(np.abs(fast - exact.amounts).max() / np.abs(exact.amounts).max())
        rows.append(
            [
                f"{n:,}",
                exact_s * 1e3,
                ivp_s * 1e3,
                ivp_s / exact_s,
                error,
                how,
                fast_s * 1e3,
                ivp_s / fast_s,
                fast_error,
            ]
        )
        records.append(
            {
                "patients": n,
                "itbtwin_sim_solve_s": exact_s,
                "solve_ivp_lsoda_s": ivp_s,
                "ratio": ivp_s / exact_s,
                "max_relative_difference": error,
                "solve_ivp_timing": how,
                "itbtwin_scale_amounts_s": fast_s,
                "ratio_scale_kernel": ivp_s / fast_s,
                "scale_kernel_vs_sim_solve_max_difference_relative_to_peak": fast_error,
            }
        )
    show(
        f"itbtwin.sim.solve vs solve_ivp (LSODA), {DAYS} days hourly — {machine_line(info)}",
        [
            "patients",
            "sim.solve (ms)",
            "solve_ivp (ms)",
            "ratio",
            "max rel diff",
            "solve_ivp",
            "scale kernel (ms)",
            "ratio",
            "kernel vs solve",
        ],
        rows,
    )
    path = write("pk_solver", {"machine": info, "results": records})
    print(f"results written to {path}")


if __name__ == "__main__":
    main()
