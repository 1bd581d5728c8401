"""Issue 7 §5: itbtwin's fast kernel against its peers on one problem, in one run.

Problem (`_peers_problem`): two-compartment plasma model, CL log-normal (CV 30%), loading bolus +
infusion, 30 days, hourly output, at 1, 1,000 and 100,000 patients. Peers, each run as its users
would (issue 13 §5): `solve_ivp` LSODA at its usual tolerances (rtol 1e-6, atol 1e-6 mcg) and at
tight ones (rtol 1e-10), diffrax Tsit5 (explicit: the solver for a non-stiff problem) and
Kvaerno5 (implicit) at rtol 1e-6 and Tsit5 at rtol 1e-10 (`pip install -e .[bench]`), chi-drm
(CVODES via myokit) when installed, the naive vectorised NumPy matrix-exponential solver
(`itbtwin.sim.solve`), and itbtwin's JAX backend. The error beside each time is what its
tolerances buy. Slow peers run on
a sample of patients and their time is extrapolated linearly (the table says which); errors are
the largest relative difference from the exact solution (`itbtwin.sim.solve`) on the patients
each peer simulated. Times are the best of several calls after one warm-up call (so JIT
compilation is excluded for every tool). Then a scaling curve of a summarised virtual trial
(`examples/trials/itb_500_steady_state.toml`: compact ITB model, 3 outputs, quantiles over time
and the other outcomes) up to 1,000,000 patients, each size in a fresh process for its peak RSS.

Run: .venv/bin/python benchmarks/peers.py [--quick]   (--quick: no 100,000 row, scaling to 100k)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import _peers_problem as problem
from _common import best_time, machine, machine_line, max_relative_error, show, write

ROOT = Path(__file__).resolve().parents[1]
TRIAL = ROOT / "examples" / "trials" / "itb_500_steady_state.toml"


def peers() -> list[tuple[str, int, Callable[[], Callable[[np.ndarray], np.ndarray]]]]:
    """(name, largest batch actually run, factory of the runner) of every available peer."""
    found: list[tuple[str, int, Callable[[], Callable[[np.ndarray], np.ndarray]]]] = [
        ("itbtwin kernel (numba)", 10**9, lambda: problem.itbtwin_kernel),
        ("naive NumPy expm (itbtwin.sim.solve)", 1000, lambda: problem.itbtwin_reference),
        ("scipy solve_ivp LSODA rtol 1e-6 (usual)", 20, lambda: problem.lsoda),
        (
            "scipy solve_ivp LSODA rtol 1e-10 (tight)",
            20,
            lambda: lambda cl: problem.lsoda(cl, problem.TIGHT),
        ),
    ]
    try:
        import chi  # noqa: F401

        found.append(("chi-drm (CVODES)", 200, lambda: _bind(problem.chi_drm, problem.chi_model())))
    except ImportError as err:
        found.append((f"chi-drm: not available: {err}", 0, lambda: problem.lsoda))
    try:
        import diffrax  # noqa: F401

        for method, tolerances, label in [
            ("Tsit5", problem.USUAL, "rtol 1e-6 (usual)"),
            ("Kvaerno5", problem.USUAL, "rtol 1e-6 (usual)"),
            ("Tsit5", problem.TIGHT, "rtol 1e-10 (tight)"),
        ]:
            found.append(
                (
                    f"diffrax {method} {label} (CPU)",
                    1000,
                    lambda m=method, t=tolerances: _bind(
                        problem.diffrax_run, problem.diffrax_solver(m, t)
                    ),
                )
            )
        found.append(
            (
                "itbtwin kernel (jax, CPU)",
                10_000,
                lambda: lambda cl: problem.itbtwin_kernel(cl, "jax"),
            )
        )
    except ImportError as err:
        found.append((f"diffrax: not available: {err}", 0, lambda: problem.lsoda))
    return found


def _bind(run: Callable[..., np.ndarray], state: object) -> Callable[[np.ndarray], np.ndarray]:
    return lambda cl: run(cl, state)


def compare(sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    """Time and error of every peer at every size."""
    records: list[dict[str, Any]] = []
    available = peers()
    runners = [(name, cap, factory()) for name, cap, factory in available if cap > 0]
    records += [
        {
            "patients": n,
            "tool": name,
            "seconds": float("nan"),
            "ratio_to_itbtwin": float("nan"),
            "max_relative_error": float("nan"),
            "timing": "not run",
        }
        for name, cap, _ in available
        if cap == 0
        for n in sizes
    ]
    for n in sizes:
        cl = problem.clearances(n)
        exact = problem.itbtwin_reference(cl[: min(n, 1000)])
        base = None
        for name, cap, run in runners:
            sample = min(n, cap)
            repeats = 5 if sample <= 1000 else 2
            if name.startswith("scipy") or name.startswith("chi"):
                repeats = 1
            batch = cl[:sample]
            seconds, values = best_time(lambda run=run, batch=batch: run(batch), repeats)
            seconds *= n / sample
            checked = min(sample, exact.shape[0])
            error = max_relative_error(values[:checked], exact[:checked])
            base = seconds if base is None else base
            records.append(
                {
                    "patients": n,
                    "tool": name,
                    "seconds": seconds,
                    "ratio_to_itbtwin": seconds / base,
                    "max_relative_error": error,
                    "timing": "measured" if sample == n else f"{sample:,} run, extrapolated",
                }
            )
            print(f"  {n:>7,} {name}: {seconds * 1e3:.4g} ms", file=sys.stderr)
    return records


def _peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss survives exec on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_one(n: int) -> None:
    """Child process: run the example trial at n patients; print time and peak RSS as JSON."""
    import tomllib

    from itbtwin.scale import parse_trial, run_local

    data = tomllib.loads(TRIAL.read_text(encoding="utf-8"))
    data["population"]["size"] = n
    trial = parse_trial(data)
    small = dict(data, population=dict(data["population"], size=1024))
    run_local(parse_trial(small))  # load compiled kernels
    before = _peak_rss_mib()
    start = time.perf_counter()
    result = run_local(trial)
    seconds = time.perf_counter() - start
    peak = _peak_rss_mib()
    print(
        json.dumps(
            {
                "patients": result.n_patients,
                "seconds": seconds,
                "peak_rss_mib": peak,
                "rss_before_run_mib": before,
            }
        )
    )


def scaling(sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    """The scaling curve, one fresh process per size."""
    records = []
    for n in sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--scale-one", str(n)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        records.append(json.loads(output.strip().splitlines()[-1]))
        print(f"  scaling {n:>9,}: {records[-1]['seconds']:.3g} s", file=sys.stderr)
    return records


def main(quick: bool) -> None:
    info = machine()
    sizes = (1, 1000) if quick else (1, 1000, 100_000)
    comparison = compare(sizes)
    curve = scaling((1000, 10_000, 100_000) if quick else (1000, 10_000, 100_000, 1_000_000))
    show(
        f"Peers: 2-compartment, loading bolus + infusion, 30 days hourly — {machine_line(info)}",
        ["patients", "tool", "time (ms)", "× itbtwin", "max rel error", "timing"],
        [
            [
                f"{r['patients']:,}",
                r["tool"],
                r["seconds"] * 1e3,
                r["ratio_to_itbtwin"],
                r["max_relative_error"],
                r["timing"],
            ]
            for r in comparison
        ],
    )
    show(
        "itbtwin summarised trial (itb_500_steady_state.toml outcomes), one process per size",
        ["patients", "time (s)", "peak RSS (MiB)", "RSS before run (MiB)"],
        [
            [f"{r['patients']:,}", r["seconds"], r["peak_rss_mib"], r["rss_before_run_mib"]]
            for r in curve
        ],
    )
    path = write("peers", {"machine": info, "comparison": comparison, "scaling": curve})
    print(f"results written to {path}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--scale-one":
        scale_one(int(sys.argv[2]))
    else:
        main(quick="--quick" in sys.argv)
