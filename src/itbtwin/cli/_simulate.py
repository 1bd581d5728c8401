"""`itbtwin simulate SCENARIO.toml`: run the pump twin and print its summary and event log."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json, print_table
from itbtwin.report import plot_twin
from itbtwin.sim import TwinOutcome, load_scenario, run_twin

_NESTED_LABELS = {
    "first_day_of": "first day of {}",
    "steady_state_ng_ml": "steady state {} (ng/mL)",
}


def _summary_rows(summary: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for key, value in summary.items():
        if isinstance(value, dict):
            label = _NESTED_LABELS.get(key, key + " {}")
            rows += [[label.format(k), v] for k, v in value.items()]
        elif isinstance(value, list):
            rows.append([key, ", ".join(f"{v:.3g}" for v in value)])
        else:
            rows.append([key, "-" if value is None else value])
    return rows


def _print(outcome: TwinOutcome) -> None:
    print_table(f"Summary: {outcome.scenario}", ["", "value"], _summary_rows(outcome.summary))
    tones = Counter(e.alarm for e in outcome.events if e.kind == "tone")
    rows = [
        [
            f"{e.time_h / 24:.3f}",
            e.kind,
            e.detail + (f" [{e.tone.replace('_', '-')}]" if e.tone else ""),
        ]
        for e in outcome.events
        if e.kind != "tone"
    ]
    print_table("Event log (day, kind, detail)", ["day", "kind", "detail"], rows)
    if tones:
        console.print("alarm tones: " + ", ".join(f"{k} ×{n}" for k, n in tones.items()))


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file (see docs/pump.md).")],
    json: Annotated[bool, typer.Option("--json", help="Print the whole outcome as JSON.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Write a multi-panel figure (.png).")] = None,
) -> None:
    """Run a pump-and-patient scenario over its span: delivery, alarms, refills, faults, PK."""
    outcome = run_twin(load_scenario(scenario))
    if plot is not None:
        written = plot_twin(outcome, plot)
        if not json:
            console.print(f"plot written to {written}")
    if json:
        print_json(outcome.to_dict())
        return
    _print(outcome)
