"""`itbtwin trial run TRIAL.toml`: a virtual trial in chunks, locally or on a Dask cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from itbtwin.cli._app import app, console, err_console
from itbtwin.cli._output import print_json, print_table
from itbtwin.errors import RegimenError
from itbtwin.scale import TrialResult, load_trial, run_local

trial_app = typer.Typer(help="Virtual trials: populations in chunks, locally or on Dask.")
app.add_typer(trial_app, name="trial")


def _rows(report: dict[str, Any]) -> list[list[Any]]:
    """One row per scalar result of each outcome (curves go to the report and JSON)."""
    rows = []
    for outcome in report["outcomes"]:
        for key, value in outcome.items():
            if key in ("kind", "label", "probabilities", "ng_ml") or hasattr(value, "shape"):
                continue
            if isinstance(value, dict):
                value = ", ".join(f"{k}: {v:.4g}" for k, v in value.items())
            elif isinstance(value, list):
                value = ", ".join(f"{v:g}" for v in value)
            rows.append([outcome["label"], key, value])
    return rows


@trial_app.command("run")
def run(
    trial_file: Annotated[Path, typer.Argument(help="Trial description (TOML).")],
    workers: Annotated[
        int | None, typer.Option(help="Run on a local Dask cluster of N worker processes.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Run on the Dask scheduler at this address (tcp://...).")
    ] = None,
    chunk_size: Annotated[
        int | None, typer.Option(help="Patients per chunk (memory only; results unchanged).")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    report: Annotated[Path | None, typer.Option(help="Write an HTML report here.")] = None,
) -> None:
    """Run a virtual trial and print its summaries (same seed, same numbers, however it runs)."""
    if workers is not None and scheduler is not None:
        raise RegimenError("give --workers or --scheduler, not both")
    if workers is not None and workers < 1:
        raise RegimenError("--workers must be at least 1")
    trial = load_trial(trial_file)
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, disable=json, transient=True) as bar:
        task = bar.add_task(trial.name, total=trial.population.size)
        advance = lambda n: bar.advance(task, n)  # noqa: E731
        result: TrialResult
        if workers is None and scheduler is None:
            result = run_local(trial, chunk_size=chunk_size, progress=advance)
        else:
            from itbtwin.scale._dask import run_dask

            result = run_dask(
                trial,
                scheduler=scheduler,
                workers=workers,
                chunk_size=chunk_size,
                progress=advance,
            )
    if report is not None:
        from itbtwin.scale._report import write_report

        written = write_report(result, report)
        if not json:
            console.print(f"report written to {written}")
    summary = result.report()
    if json:
        print_json(summary)
        return
    print_table(
        f"{trial.name}: {summary['patients']:,} patients, seed {trial.seed}",
        ["outcome", "measure", "value"],
        _rows(summary),
    )
