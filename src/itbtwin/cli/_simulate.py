"""`itbtwin simulate SCENARIO.toml`: run the pump twin and print its summary and event log."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from itbtwin.cli._app import app, console
from itbtwin.cli._file_path import file_path
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._shown import print_written
from itbtwin.display import format_elapsed_h, format_number, format_value, human_label
from itbtwin.files import not_a_link, writable

if TYPE_CHECKING:  # the twin and the plots load when a scenario runs (issue 13)
    from itbtwin.sim import TwinOutcome

_NESTED_LABELS = {
    "first_day_of": "First {} (day)",
    "steady_state_ng_ml": "Steady state, {} (ng/mL)",
}
_SITES = {"csf_lumbar": "lumbar CSF", "csf_cisternal": "cisternal CSF", "plasma": "plasma"}
_SUMMARY_LABELS = {
    "days": "Scenario length (days)",
    "device": "Pump",
    "delivered_over_programmed": "Delivered / programmed",
    "tissue_mcg": "Drug into the pocket tissue (mcg)",
    "refill_due_day": "Refill due (day)",
    "ledger_balance_error": "Drug ledger balance error",
    "max_overdose_level": "Highest overdose level",
    "withdrawal_h": "Time with a withdrawal signal",
    "overdose_h": "Time with an overdose signal",
    "systemic_overdose_h": "Time with a systemic overdose signal",
}
"""Labels a clinician reads for the summary keys (`--json` keeps the keys)."""


def _words(key: str) -> str:
    return _SITES.get(key, key.replace("_", " "))


def _value(key: str, value: Any) -> Any:
    """A summary value for people: durations in h or days, first days as "never" when absent."""
    if value is None:
        return "never" if key.startswith("first_") else "-"
    if key.endswith("_h"):
        return format_elapsed_h(value)
    return value


def _ledger_error(mcg: float, ml: float) -> str:
    """The drug ledger's imbalance as "0 mcg, 0 mL": float rounding noise (below a millionth of
    a mcg or mL) reads as 0, not as "-0.00000000000000355"."""
    return f"{format_number(round(mcg, 6) + 0.0, 'mcg')}, {format_number(round(ml, 6) + 0.0, 'mL')}"


def _summary_rows(summary: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for key, value in summary.items():
        if isinstance(value, dict):
            label = _NESTED_LABELS.get(key, human_label(key) + ": {}")
            rows += [[label.format(_words(k)), v] for k, v in value.items()]
        elif key == "ledger_balance_error":
            rows.append([_SUMMARY_LABELS[key], _ledger_error(*value)])
        elif isinstance(value, list):
            rows.append([_SUMMARY_LABELS.get(key, human_label(key)), format_value(value)])
        else:
            label = _SUMMARY_LABELS.get(key) or human_label(key)
            if key.startswith("first_") and key.endswith("_day"):
                label = f"First {_words(key[6:-4])} (day)"
            rows.append([label, _value(key, value)])
    return rows


def _print(outcome: TwinOutcome) -> None:
    print_table(f"Summary: {outcome.scenario}", ["", "value"], _summary_rows(outcome.summary))
    tones = Counter(e.alarm for e in outcome.events if e.kind == "tone")
    rows = [
        [
            f"{e.time_h / 24:.2f}",
            _words(e.kind),
            e.detail + (f" [{e.tone.replace('_', '-')}]" if e.tone else ""),
        ]
        for e in outcome.events
        if e.kind != "tone"
    ]
    print_table("Event log (days from the start)", ["Day", "Event", "Detail"], rows)
    if tones:
        console.print("Alarm tones: " + ", ".join(f"{_words(k)} ×{n}" for k, n in tones.items()))


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file (see docs/pump.md).")],
    json: Annotated[bool, typer.Option("--json", help="Print the whole outcome as JSON.")] = False,
    plot: Annotated[
        Path | None,
        typer.Option(parser=file_path, help="Write a multi-panel figure (.png)."),
    ] = None,
) -> None:
    """Run a pump-and-patient scenario over its span: delivery, alarms, refills, faults, PK."""
    from itbtwin.report import plot_twin
    from itbtwin.sim import load_scenario, run_twin

    if plot is not None:
        not_a_link(writable(plot, "plot"))  # before the run, not after it
    outcome = run_twin(load_scenario(scenario))
    if plot is not None:
        written = plot_twin(outcome, plot)
        if not json:
            print_written("plot", written)
    if json:
        print_json(outcome.to_dict())
        return
    _print(outcome)
