"""`itbtwin trial run TRIAL.toml`: a virtual trial in chunks, locally or on a Dask cluster."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from itbtwin.cli._app import app, err_console
from itbtwin.cli._file_path import file_path
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._shown import print_written
from itbtwin.display import format_number, format_percentile, human_label
from itbtwin.errors import RegimenError, TrialError
from itbtwin.files import writable
from itbtwin.units import parse_duration_h

if TYPE_CHECKING:  # NumPy, numba and the trial engine load when a trial runs (issue 13)
    from itbtwin.scale import Trial, TrialResult

trial_app = typer.Typer(help="Virtual trials: populations in chunks, locally or on Dask.")
app.add_typer(trial_app, name="trial")


_NOT_TABULATED = ("kind", "label", "field", "unit", "probabilities", "histogram")
"""Machine fields and curves: they go to the JSON and the HTML report, not the table."""


def _cell(key: str, value: Any, unit: str | None) -> str:
    """One result for people: shares as percentages, quantiles as percentiles, plain numbers;
    a count as the title counts patients ("2,000")."""
    if key.startswith("share"):
        return format_number(100 * value, "%")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return format_number(value, unit) if isinstance(value, float) else str(value)


def _entries(key: str, value: dict[str, Any], unit: str | None) -> str:
    named = []
    for name, v in value.items():
        name = format_percentile(float(name)) if key.startswith("quantiles") else name
        named.append(f"{name.replace('_', ' ')}: {_cell(key, v, unit)}")
    return ", ".join(named)


def _rows(report: dict[str, Any]) -> list[list[Any]]:
    """One row per scalar result of each outcome (curves go to the report and JSON)."""
    import numpy as np

    rows = []
    for outcome in report["outcomes"]:
        unit = outcome.get("unit")
        for key, value in outcome.items():
            if key in _NOT_TABULATED or isinstance(value, np.ndarray | list):
                continue
            if isinstance(value, dict):
                if any(isinstance(v, dict | list | np.ndarray) for v in value.values()):
                    continue
                value = _entries(key, value, unit)
            else:
                value = _cell(key, value, unit if key.startswith("quantiles") else None)
            rows.append([outcome["label"], human_label(key), value])
    return rows


MAX_CONNECT_TIMEOUT_S = 600.0
"""The longest wait for a scheduler to answer (docs/limits.md)."""


def _resized(trial: Trial, patients: int | None) -> Trial:
    """The trial with `patients` patients (same seed and blocks, so a prefix of the full run)."""
    if patients is None:
        return trial
    if patients < 1:
        raise TrialError("--patients must be at least 1")
    population = trial.population.model_copy(update={"size": patients})
    return trial.model_copy(update={"population": population})


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
    connect_timeout: Annotated[
        str, typer.Option(help="How long to wait for --scheduler to answer (e.g. '5 s').")
    ] = "5 s",
    patients: Annotated[
        int | None,
        typer.Option(help="Run this many patients instead of the file's size (a quick look)."),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    report: Annotated[
        Path | None, typer.Option(parser=file_path, help="Write an HTML report here.")
    ] = None,
) -> None:
    """Run a virtual trial and print its summaries (same seed, same numbers, however it runs)."""
    from itbtwin.scale import load_trial, run_local

    if workers is not None and scheduler is not None:
        raise RegimenError("give --workers or --scheduler, not both")
    most = 4 * (os.cpu_count() or 1)
    if workers is not None and not 1 <= workers <= most:
        raise RegimenError(
            f"--workers must be 1 to {most} (4 a core on this machine: more processes only add "
            "memory and start-up time); use --scheduler for a cluster"
        )
    timeout_s = parse_duration_h(connect_timeout) * 3600
    if not 0 < timeout_s <= MAX_CONNECT_TIMEOUT_S:
        raise TrialError(
            f"--connect-timeout {connect_timeout!r} must be longer than zero and at most 10 min "
            "(a scheduler that has not answered by then will not)"
        )
    if report is not None:
        writable(report, "trial report")  # before the run, not after it
    trial = _resized(load_trial(trial_file), patients)
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
                connect_timeout_s=timeout_s,
            )
    if report is not None:
        from itbtwin.scale._report import write_report

        written = write_report(result, report)
        if not json:
            print_written("report", written)
    summary = result.report()
    if json:
        print_json(summary)
        return
    print_table(
        f"{trial.name}: {summary['patients']:,} patients, seed {trial.seed}",
        ["outcome", "measure", "value"],
        _rows(summary),
    )
