"""`itbtwin pk`: concentrations at the CSF sampling sites and in plasma, and with `--effect` the
muscle tone (MAS) and spasm (Penn) scores, for one patient."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from itbtwin.cli._app import app, console
from itbtwin.cli._clinic_args import WEIGHT_HELP, patient_pk
from itbtwin.cli._file_path import file_path
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._regimen_args import regimen_from_options
from itbtwin.cli._shown import print_written
from itbtwin.cli._since import check_since_first_pump
from itbtwin.display import format_elapsed_h
from itbtwin.errors import RegimenError

_SUMMARY_COLUMNS = (
    ("cmax_ng_ml", "Cmax (ng/mL)"),
    ("tmax_h", "Tmax"),
    ("cmin_last_24h_ng_ml", "Cmin last 24 h (ng/mL)"),
    ("auc_ng_h_ml", "AUC (ng·h/mL)"),
    ("half_life_h", "t½"),
    ("time_to_90pct_steady_state_h", "90% steady state"),
)
"""Summary rows; the times (keys ending in `_h`) read in hours up to 48 h and in days beyond."""
_TIMING = {"near_maximum_h": "95% of maximum at", "end_h": "visible effect ends at"}
"""Words for the effect-timing fields whose names do not read as they are."""
_EFFECT_ROWS = 13
"""Rows of the score table: evenly spaced times from the start to the end."""


def _summary_cell(value: Any, key: str) -> Any:
    """A time in the summary as "36 h" or "6.1 days"; other values as they are."""
    return format_elapsed_h(value) if key.endswith("_h") else value


def _effect_payload(response: Any, timing: Any) -> dict[str, Any]:
    from itbtwin.patient import EFFECT_DURATION, NOT_RATED

    scores = response.scores
    penn = {}
    if scores.penn_frequency is not None:  # only from a Penn baseline (--baseline-penn)
        penn = {
            "penn_frequency": scores.penn_frequency[0],
            "penn_severity": [None if s == NOT_RATED else int(s) for s in scores.penn_severity[0]],
        }
    return {
        "effect_site_ng_ml": response.ce_ng_ml[0],
        "tone_reduction": response.tone_reduction[0],
        "mas_grade": [str(g) for g in scores.mas_grade[0]],
        **penn,
        "effect_timing_h": {k: float(v[0]) for k, v in vars(timing).items()}
        | {"duration_h": float(timing.duration_h[0])},
        "effect_duration_definition": EFFECT_DURATION,
    }


def _print_effect(response: Any, timing: Any, site: str) -> None:
    import numpy as np

    from itbtwin.patient import EFFECT_DURATION, NOT_RATED

    times, scores = response.times_h, response.scores
    penn = scores.penn_frequency is not None  # only from a Penn baseline (--baseline-penn)
    rows = []
    for j in np.unique(np.linspace(0, times.size - 1, _EFFECT_ROWS).round().astype(int)):
        row = [
            format_elapsed_h(float(times[j])),  # days past 48 h, as every elapsed time
            float(response.ce_ng_ml[0, j]),
            f"{response.tone_reduction[0, j]:.0%}",
            scores.mas_grade[0, j],
        ]
        if penn:
            severity = scores.penn_severity[0, j]
            row += [
                int(scores.penn_frequency[0, j]),
                "–" if severity == NOT_RATED else int(severity),
            ]
        rows.append(row)
    print_table(
        f"Response (effect site linked to {site})",
        ["time", "effect site (ng/mL)", "tone reduction", "MAS"]
        + (["Penn freq.", "Penn sev."] if penn else []),
        rows,
    )
    shown = []
    for key, value in vars(timing).items():
        text = format_elapsed_h(float(value[0]))
        shown.append(f"{_TIMING.get(key, key.removesuffix('_h').replace('_', ' '))} "
                     + ("never" if text == "-" else text))  # fmt: skip
    duration = format_elapsed_h(float(timing.duration_h[0]))
    shown.append(f"duration {'never' if duration == '-' else duration} ({EFFECT_DURATION})")
    console.print("Effect: " + ", ".join(shown))


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
    weight: Annotated[
        str | None,
        typer.Option(help=WEIGHT_HELP),
    ] = None,
    age: Annotated[
        str, typer.Option(help='Age, e.g. "40 year"; under 18 uses paediatric PK.')
    ] = "40 year",
    model: Annotated[str, typer.Option(help="compact or spatial (neuraxis chain).")] = "compact",
    tip: Annotated[
        str | None, typer.Option(help="Catheter tip level (spatial; default T10).")
    ] = None,
    level: Annotated[
        list[str],
        typer.Option(help="Level to report (spatial; default L3; first drives --effect)."),
    ] = [],  # noqa: B006
    effect: Annotated[bool, typer.Option("--effect", help="Add MAS and Penn scores.")] = False,
    baseline_mas: Annotated[
        str | None,
        typer.Option(help='The patient\'s MAS grade before ITB, e.g. "3" (needed by --effect).'),
    ] = None,
    baseline_penn: Annotated[
        int | None,
        typer.Option(
            help="The Penn spasm frequency (0-4) before ITB; adds Penn scores to --effect."
        ),
    ] = None,
    baseline_penn_severity: Annotated[
        int | None,
        typer.Option(
            help="The Penn spasm severity (1-3) before ITB; needed when --baseline-penn > 0."
        ),
    ] = None,
    months_on_itb: Annotated[
        float, typer.Option(help="Months of ITB so far (tolerance); 0 = drug-naive.")
    ] = 0.0,
    plot: Annotated[
        Path | None, typer.Option(parser=file_path, help="Write a plot (.png or .html).")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Predict baclofen in CSF and plasma for a regimen (exact solution); --effect adds MAS/Penn."""
    from itbtwin.patient import Baseline, effect_timing
    from itbtwin.report import plot_concentrations
    from itbtwin.sim import check_output, output_grid, predict, summarize, typical_effect

    if hours is not None and days is not None:
        raise RegimenError("give --hours or --days, not both")
    if effect and baseline_mas is None:
        raise RegimenError(
            '--effect needs --baseline-mas, the patient\'s MAS grade before ITB (e.g. "3"): '
            "the predicted MAS is measured from it and is never assumed"
        )
    if (baseline_penn is not None or baseline_penn_severity is not None) and not effect:
        raise RegimenError("--baseline-penn and --baseline-penn-severity go with --effect")
    end_h = hours if hours is not None else (days * 24 if days is not None else 24.0)
    check_output(end_h, step, "the simulation (--hours or --days)")
    if end_h < step:  # 1e-300 h printed "Baclofen over 0.000…1 h" (issue 17)
        raise RegimenError(
            f"the simulation of {end_h:g} h is shorter than one output step ({step:g} h): "
            "give a longer --hours or a smaller --step"
        )
    regimen = regimen_from_options(bolus, infusion, oral, every, end_h)
    systemic, _ = patient_pk(weight, age)
    # 1e300 months read as "effect never" (issue 17)
    check_since_first_pump(months_on_itb * 30.4375 * 24, f"--months-on-itb {months_on_itb:,.4g}")
    pd = typical_effect(months_on_itb)
    prediction = predict(
        systemic,
        regimen,
        output_grid(end_h, step),
        model=model,
        tip=tip,
        levels=tuple(level),
        effect=pd if effect else None,
        baseline=None
        if baseline_mas is None
        else Baseline(baseline_mas, baseline_penn, baseline_penn_severity),
    )
    result, response, site = prediction.result, prediction.response, prediction.site
    structure = result.model
    summary = summarize(result)
    if plot is not None:
        title = f"Baclofen ({structure.name} model)"
        written = plot_concentrations(result, plot, title=title, response=response)
        if not json:
            print_written("plot", written)
    if json:
        payload: dict[str, Any] = {"model": structure.name, "time_h": result.times_h}
        for output in structure.outputs:
            payload[f"{output.name}_ng_ml"] = result.concentration_ng_ml(output.name)[0]
        payload["summary"] = summary
        payload["parameters"] = result.params.table()
        if response is not None:
            payload |= _effect_payload(response, effect_timing(response))
            payload["effect_parameters"] = pd.table()
        print_json(payload)
        return
    rows = [
        [label, *(_summary_cell(summary[output.name][key], key) for output in structure.outputs)]
        for key, label in _SUMMARY_COLUMNS
    ]
    print_table(
        f"Baclofen over {format_elapsed_h(end_h)} (model {structure.name}; t½ and steady state for "
        f"{regimen.routes[0]} input)",
        ["", *(output.label for output in structure.outputs)],
        rows,
    )
    if response is not None:
        label = next((o.label for o in structure.outputs if o.name == site), site)
        _print_effect(response, effect_timing(response), label)
