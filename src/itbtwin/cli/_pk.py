"""`itbtwin pk`: concentrations in lumbar CSF, cisternal CSF and plasma for one patient."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._regimen_args import regimen_from_options
from itbtwin.errors import RegimenError
from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.report import plot_concentrations
from itbtwin.sim import output_grid, solve, summarize
from itbtwin.units import parse_quantity

_SUMMARY_COLUMNS = (
    ("cmax_ng_ml", "Cmax (ng/mL)"),
    ("tmax_h", "Tmax (h)"),
    ("cmin_last_24h_ng_ml", "Cmin last 24 h (ng/mL)"),
    ("auc_ng_h_ml", "AUC (ng·h/mL)"),
    ("half_life_h", "t½ (h)"),
    ("time_to_90pct_steady_state_h", "90% steady state (h)"),
)


@app.command()
def pk(
    bolus: Annotated[
        list[str], typer.Option(help='Intrathecal bolus, e.g. "50 mcg" or "50 mcg@12h".')
    ] = [],  # noqa: B006
    infusion: Annotated[
        list[str], typer.Option(help='Intrathecal infusion to the end, e.g. "500 mcg/day".')
    ] = [],  # noqa: B006
    oral: Annotated[
        list[str], typer.Option(help='Oral dose, e.g. "20 mg"; with --every, repeated.')
    ] = [],  # noqa: B006
    every: Annotated[str | None, typer.Option(help='Oral dosing interval, e.g. "8h".')] = None,
    hours: Annotated[float | None, typer.Option(help="Length of the simulation in hours.")] = None,
    days: Annotated[float | None, typer.Option(help="Length of the simulation in days.")] = None,
    step: Annotated[float, typer.Option(help="Output grid step in hours.")] = 0.25,
    weight: Annotated[str, typer.Option(help='Body weight, e.g. "70 kg".')] = "70 kg",
    age: Annotated[
        str, typer.Option(help='Age, e.g. "40 year"; under 18 uses paediatric PK.')
    ] = "40 year",
    plot: Annotated[Path | None, typer.Option(help="Write a plot (.png or .html).")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Predict baclofen in lumbar CSF, cisternal CSF and plasma for a regimen (exact solution)."""
    if hours is not None and days is not None:
        raise RegimenError("give --hours or --days, not both")
    end_h = hours if hours is not None else (days * 24 if days is not None else 24.0)
    regimen = regimen_from_options(bolus, infusion, oral, every, end_h)
    params = BaclofenPk.for_patient(
        weight_kg=parse_quantity(weight, "weight"), age_years=parse_quantity(age, "age")
    )
    result = solve(COMPACT, params, regimen, output_grid(end_h, step), auc=True)
    summary = summarize(result)
    if plot is not None:
        written = plot_concentrations(result, plot, title="Baclofen concentrations")
        if not json:
            console.print(f"plot written to {written}")
    if json:
        payload = {"time_h": result.times_h}
        for output in COMPACT.outputs:
            payload[f"{output.name}_ng_ml"] = result.concentration_ng_ml(output.name)[0]
        payload["summary"] = summary
        payload["parameters"] = params.table()
        print_json(payload)
        return
    rows = [
        [label, *(summary[output.name][key] for output in COMPACT.outputs)]
        for key, label in _SUMMARY_COLUMNS
    ]
    print_table(
        f"Baclofen over {end_h:g} h (model {COMPACT.name}; t½ and steady state for "
        f"{regimen.routes[0]} input)",
        ["", *(output.label for output in COMPACT.outputs)],
        rows,
    )
