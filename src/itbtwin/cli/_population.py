"""`itbtwin population`: maintenance doses of a virtual population beside the label's ranges."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.progress import Progress

from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json, print_table

_PROGRESS_AFTER_S = 1.0
"""Show a progress bar once the run is projected to take longer than this (s)."""


@app.command()
def population(
    n: Annotated[int, typer.Option("--n", help="Number of virtual patients.")] = 1000,
    origin: Annotated[
        str, typer.Option(help="spinal, cerebral or paediatric (children under 12).")
    ] = "spinal",
    seed: Annotated[int, typer.Option(help="Random seed; the same seed, the same population.")] = 0,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Simulate maintenance doses (the dose reaching the response target) of virtual patients."""
    from itbtwin.patient import CHUNK, GROUPS, generate_population, summarize_doses

    with Progress(console=console, transient=True, disable=json) as progress:
        task = progress.add_task("virtual patients", total=n, visible=False)
        started = time.perf_counter()

        def advance(done: int) -> None:
            elapsed = time.perf_counter() - started
            if done < n and elapsed * n / done > _PROGRESS_AFTER_S:
                progress.update(task, visible=True)
            progress.update(task, completed=done)

        pop = generate_population(n, origin, seed, on_progress=advance if n > CHUNK else None)
    summary = summarize_doses(pop)
    published = summary.published
    if json:
        print_json(
            {
                "origin": origin,
                "n": n,
                "seed": seed,
                "simulated_mcg_per_day": {
                    "p5": summary.p5,
                    "p25": summary.p25,
                    "median": summary.median,
                    "p75": summary.p75,
                    "p95": summary.p95,
                    "mean": summary.mean,
                },
                "within_typical_band": summary.within_typical,
                "published": vars(published),
                "calibration": GROUPS[origin].calibration,
            }
        )
        return
    band = f"{published.typical_low_mcg_per_day:g}–{published.typical_high_mcg_per_day:g}"
    observed = f"{published.observed_low_mcg_per_day:g}–{published.observed_high_mcg_per_day:g}"
    mean = f"mean {published.mean_mcg_per_day:g}" if published.mean_mcg_per_day else ""
    print_table(
        f"Maintenance dose, {n} virtual {origin} patients (seed {seed}), mcg/day",
        ["statistic", "simulated", "published (label)"],
        [
            ["5th percentile", summary.p5, f"observed {observed}"],
            ["25th percentile", summary.p25, f"most {band}"],
            ["median", summary.median, ""],
            ["75th percentile", summary.p75, ""],
            ["95th percentile", summary.p95, ""],
            ["mean", summary.mean, mean],
            ["share in the typical band", f"{summary.within_typical:.0%}", f"most in {band}"],
        ],
    )
    console.print(f"source {published.source}; {published.note}")
