"""`itbtwin demo`: the main job on the embedded defaults, for a newcomer's first run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_table
from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.report import plot_concentrations
from itbtwin.sim import Regimen, bolus, infusion, output_grid, repeated, solve, summarize
from itbtwin.validation import run_validation

_CASES = (
    ("screening bolus 50 mcg", Regimen([bolus(50)]), 24.0),
    ("continuous infusion 500 mcg/day", Regimen([infusion(500, duration_h=7 * 24)]), 7 * 24.0),
    ("oral 20 mg three times a day", Regimen([repeated(20_000, every_h=8, times=15)]), 5 * 24.0),
)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the plots.")] = Path("out/demo"),
) -> None:
    """Validate the model, then simulate a screening bolus, an infusion and oral dosing."""
    checks = run_validation()
    passed = sum(c.passed for c in checks)
    console.print(f"validation: {passed} of {len(checks)} published facts reproduced")
    params = BaclofenPk.adult()
    rows = []
    for name, regimen, end_h in _CASES:
        result = solve(COMPACT, params, regimen, output_grid(end_h, 0.25), auc=True)
        summary = summarize(result)
        path = plot_concentrations(result, out / f"{name.split()[0]}.png", title=name)
        rows.append(
            [
                name,
                summary["csf_lumbar"]["cmax_ng_ml"],
                summary["csf_cisternal"]["cmax_ng_ml"],
                summary["plasma"]["cmax_ng_ml"],
                str(path),
            ]
        )
    print_table(
        "Typical adult (compact model)",
        ["regimen", "lumbar Cmax (ng/mL)", "cisternal Cmax (ng/mL)", "plasma Cmax", "plot"],
        rows,
    )
    if passed < len(checks):
        raise typer.Exit(1)
