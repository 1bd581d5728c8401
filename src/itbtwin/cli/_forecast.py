"""`itbtwin forecast`: the patient's own EC50 × tolerance and the daily dose to a target MAS."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from itbtwin.cli._app import app, console
from itbtwin.cli._clinic_args import WEIGHT_HELP, patient_pk
from itbtwin.cli._output import print_json, print_reasons, print_table
from itbtwin.drug import check_origin
from itbtwin.errors import RegimenError
from itbtwin.units import parse_quantity
from itbtwin.user_files import load_toml, naming

if TYPE_CHECKING:  # the forecast (NumPy, SciPy) loads when a dose is forecast (issue 13)
    from itbtwin.clinic import DoseHistory


def _rows(data: dict[str, Any], key: str, field: str) -> list[tuple[float, Any]]:
    rows = data.get(key)
    if not isinstance(rows, list) or not rows:
        raise RegimenError(f"the history needs [[{key}]] entries with at and {field}")
    try:
        rows = [(parse_quantity(r["at"], "duration"), r[field]) for r in rows]
    except (KeyError, TypeError):
        raise RegimenError(f"each [[{key}]] needs at and {field}") from None
    from itbtwin.sim._limits import MAX_SPAN_H

    late = next((at for at, _ in rows if at > MAX_SPAN_H), None)
    if late is not None:  # 1e300 days was forecast from (issue 17)
        raise RegimenError(
            f"a [[{key}]] at {late / 24:,.4g} days is beyond {MAX_SPAN_H / 24:,.0f} days (10 "
            "years, the longest service life of a pump)"
        )
    return sorted(rows, key=lambda row: row[0])


def _frequency(value: Any, where: str) -> int:
    """A Penn spasm frequency score (0-4) as a whole number; a bool or a list is refused."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise RegimenError(f"{where} must be a whole number from 0 to 4, got {value!r}")
    return int(value)


def load_history(path: Path) -> DoseHistory:
    """A dose history TOML: baseline_mas, [[dose]] at + daily_dose, [[mas]] at + grade, and
    optionally baseline_penn_frequency and [[penn]] at + frequency (0-4)."""
    data = load_toml(path, "dose history", RegimenError)
    with naming(path):
        return _history(data)


def _history(data: dict[str, Any]) -> DoseHistory:
    from itbtwin.clinic import DoseHistory

    doses = _rows(data, "dose", "daily_dose")
    observed = _rows(data, "mas", "grade")
    spasms = _rows(data, "penn", "frequency") if "penn" in data else []
    daily = tuple(parse_quantity(d, "daily_dose") for _, d in doses)
    from itbtwin.clinic._titration import max_deliverable_mcg_per_day

    if max(daily) > (most := max_deliverable_mcg_per_day()):  # 1e300 mcg/day ended in a NaN
        raise RegimenError(
            f"a [[dose]] of {max(daily):,.4g} mcg/day is more than any catalogue pump can give "
            f"({most:,.0f} mcg/day)"
        )
    # the baselines are what the forecast measures the response against: never assumed
    if "baseline_mas" not in data:
        raise RegimenError('the history needs baseline_mas: the MAS grade before ITB, e.g. "3"')
    if spasms and "baseline_penn_frequency" not in data:
        raise RegimenError(
            "[[penn]] scores need baseline_penn_frequency: the Penn spasm frequency before ITB"
        )
    baseline_penn = data.get("baseline_penn_frequency")
    return DoseHistory(
        tuple(t for t, _ in doses),
        daily,
        tuple(t for t, _ in observed),
        tuple(str(g) for _, g in observed),
        str(data["baseline_mas"]),
        tuple(t for t, _ in spasms),
        tuple(_frequency(f, "[[penn]] frequency") for _, f in spasms),
        *(() if baseline_penn is None else (_frequency(baseline_penn, "baseline_penn_frequency"),)),
    )


@app.command()
def forecast(
    history: Annotated[Path, typer.Argument(help="Dose history TOML (doses and MAS over time).")],
    target_mas: Annotated[str, typer.Option(help='Target MAS grade, e.g. "1+".')],
    origin: Annotated[str, typer.Option(help="Origin of spasticity: spinal or cerebral.")],
    age: Annotated[str, typer.Option(help='Age, e.g. "40 year".')] = "40 year",
    weight: Annotated[str | None, typer.Option(help=WEIGHT_HELP)] = None,
    phase: Annotated[str, typer.Option(help="titration or maintenance.")] = "titration",
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Estimate the patient's EC50 × tolerance (Bayesian MAP) and forecast the dose to a target."""
    from itbtwin.clinic import forecast_dose

    check_origin(origin)
    pk, age_years = patient_pk(weight, age)
    result = forecast_dose(
        load_history(history),
        pk,
        origin=origin,
        age_years=age_years,
        target_mas=target_mas,
        phase=phase,
    )
    out = result.as_dict()
    if json:
        print_json(out)
        return
    low, high = out["dose_90_mcg_per_day"]  # type: ignore[misc]
    print_table(
        "Dose forecast (population prior + this patient's MAS)",
        ["quantity", "estimate", "90% interval"],
        [
            [
                "EC50 × tolerance (ng/mL)",
                out["ec50_tolerance_ng_ml"],
                "-".join(f"{v:.0f}" for v in out["ec50_tolerance_90_ng_ml"]),
            ],  # type: ignore[attr-defined]
            # doses to the pump's 0.01 mcg/day, as the reasons below give them
            [
                f"dose to MAS {target_mas} (mcg/day)",
                f"{round(result.dose_mcg, 2):g}",
                f"{low:.0f}-{high:.0f}",
            ],
            ["next step (mcg/day)", f"{round(result.next_step_mcg, 2):g}", "-"],
        ],
    )
    print_reasons(list(result.reasons))
    console.print("A forecast is a decision aid: titrate by the rules and the patient's response.")
