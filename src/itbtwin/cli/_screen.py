"""`itbtwin screen`: the screening ladder, the decision after the boluses given, and the model's
predicted response to each bolus beside what was observed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from itbtwin.cli._app import app, console
from itbtwin.cli._clinic_args import WEIGHT_HELP, patient_pk
from itbtwin.cli._output import print_json, print_reasons, print_table
from itbtwin.display import format_elapsed_h
from itbtwin.errors import RegimenError
from itbtwin.units import parse_quantity
from itbtwin.user_files import load_toml, naming

if TYPE_CHECKING:  # the screening rules and the model load when a screening is decided
    from itbtwin.clinic import ScreeningBolus

_FIELDS = {
    "dose",
    "time",
    "baseline_mas",
    "best_mas",
    "baseline_penn_frequency",
    "best_penn_frequency",
    "effect_duration",
    "adverse_effects",
}


def load_screening(path: Path, small: bool) -> tuple[bool, list[ScreeningBolus]]:
    """A screening file: ``small_or_sensitive`` (else `small`) and its [[bolus]] tables."""
    document = load_toml(path, "screening file", RegimenError)
    unknown = set(document) - {"small_or_sensitive", "bolus"}
    if unknown:
        raise RegimenError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    small = document.get("small_or_sensitive", small)
    boluses = document.get("bolus", [])
    if not isinstance(small, bool):
        raise RegimenError(f"{path}: small_or_sensitive must be true or false")
    if not isinstance(boluses, list):
        raise RegimenError(f"{path}: bolus must be [[bolus]] tables")
    with naming(path):
        return small, [_bolus(i, entry) for i, entry in enumerate(boluses)]


def _within_ten_years(*spans: tuple[float, str]) -> None:
    """Refuse a screening time beyond 10 years (1e300 h was read as a response)."""
    from itbtwin.sim._limits import MAX_SPAN_H

    for hours, name in spans:
        if hours > MAX_SPAN_H:
            raise RegimenError(
                f"{name} {hours / 24:,.4g} days is beyond {MAX_SPAN_H / 24:,.0f} days (10 years)"
            )


def _one_bolus_effect(hours: float | None) -> None:
    """Refuse an effect longer than one bolus acts (`clinic._titration.LONGEST_BOLUS_EFFECT_H`,
    72 h, as `titrate --effect-duration`): 30 days was read as a long response (issue 17)."""
    from itbtwin.clinic._titration import LONGEST_BOLUS_EFFECT_H

    if hours is not None and hours > LONGEST_BOLUS_EFFECT_H:
        raise RegimenError(
            f"effect_duration {hours:,.4g} h is impossible: at most {LONGEST_BOLUS_EFFECT_H:g} h "
            "(the longest one bolus acts, an overdose's coma, label)"
        )


def _bolus(index: int, entry: dict[str, Any]) -> ScreeningBolus:
    """One [[bolus]] table of a screening file, with units checked; errors name the entry."""
    from itbtwin.clinic import ScreeningBolus

    where = f"bolus {index + 1}"
    if not isinstance(entry, dict):
        raise RegimenError(f"{where}: expected a [[bolus]] table")
    for key in ("baseline_mas", "best_mas"):
        if key in entry and (isinstance(entry[key], bool) or not isinstance(entry[key], str | int)):
            raise RegimenError(f'{where}: {key} must be a grade such as 2 or "1+"')
    for key in ("baseline_penn_frequency", "best_penn_frequency"):
        if key in entry and (isinstance(entry[key], bool) or not isinstance(entry[key], int)):
            raise RegimenError(f"{where}: {key} must be a whole number from 0 to 4")
    effects = entry.get("adverse_effects", [])
    if not isinstance(effects, list) or not all(isinstance(e, str) for e in effects):
        raise RegimenError(f"{where}: adverse_effects must be a list of text")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise RegimenError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    try:
        duration = entry.get("effect_duration")
        time_h = parse_quantity(entry.get("time", "0 h"), "time")
        effect_h = parse_quantity(duration, "duration") if duration else None
        _within_ten_years((time_h, "time"))
        _one_bolus_effect(effect_h)
        return ScreeningBolus(
            dose_mcg=parse_quantity(entry["dose"], "dose"),
            time_h=time_h,
            baseline_mas=str(entry["baseline_mas"]),
            best_mas=str(entry["best_mas"]),
            baseline_penn_frequency=entry.get("baseline_penn_frequency"),
            best_penn_frequency=entry.get("best_penn_frequency"),
            effect_duration_h=effect_h,
            adverse_effects=tuple(entry.get("adverse_effects", ())),
        )
    except KeyError as missing:
        raise RegimenError(f"{where}: missing field {missing}") from None
    except (RegimenError, ValueError) as err:
        raise RegimenError(f"{where}: {err}") from None


@app.command()
def screen(
    trial: Annotated[
        Path | None, typer.Argument(help="TOML file with the boluses given so far ([[bolus]]).")
    ] = None,
    small: Annotated[
        bool, typer.Option(help="Very small or sensitive patient: start at 25 mcg.")
    ] = False,
    weight: Annotated[str | None, typer.Option(help=WEIGHT_HELP)] = None,
    age: Annotated[str, typer.Option(help='Age, e.g. "40 year".')] = "40 year",
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Decide the next screening step (label ladder 50 → 75 → 100 mcg, ≥ 24 h apart)."""
    from itbtwin.clinic import decide_screening
    from itbtwin.clinic._course import predict_screening
    from itbtwin.clinic._indication import age_reasons
    from itbtwin.patient import EFFECT_DURATION

    boluses: list[ScreeningBolus] = []
    if trial is not None:
        small, boluses = load_screening(trial, small)
    decision = decide_screening(boluses, small_or_sensitive=small)
    systemic, age_years = patient_pk(weight, age)
    predicted = [predict_screening(b, systemic) for b in boluses]
    warnings = age_reasons(age_years)
    if json:
        print_json(
            {
                "status": decision.status.value,
                "next_dose_mcg": decision.next_dose_mcg,
                "earliest_next_h": decision.earliest_next_h,
                "effective_dose_mcg": decision.effective_dose_mcg,
                "effect_duration_h": decision.effect_duration_h,
                "reasons": [r.as_dict() for r in (*decision.reasons, *warnings)],
                "boluses": [
                    {"observed": vars(b), "predicted": vars(p)}
                    for b, p in zip(boluses, predicted, strict=True)
                ],
            }
        )
        return
    if boluses:
        print_table(
            "Screening boluses: observed beside the model (typical drug-naive patient)",
            [
                "dose (mcg)",
                "time",
                "MAS observed",
                "MAS predicted",
                "effect duration observed",
                "effect duration predicted",
                "adverse effects",
            ],
            [  # times in hours up to 48 h, then days (display.format_elapsed_h)
                [
                    b.dose_mcg,
                    format_elapsed_h(b.time_h),
                    f"{b.baseline_mas} → {b.best_mas}",
                    f"{b.baseline_mas} → {p.best_mas}",
                    format_elapsed_h(b.effect_duration_h),
                    format_elapsed_h(p.effect_duration_h),
                    ", ".join(b.adverse_effects) or "none",
                ]
                for b, p in zip(boluses, predicted, strict=True)
            ],
        )
        console.print(escape(EFFECT_DURATION[0].upper() + EFFECT_DURATION[1:]), highlight=False)
    console.print(f"decision: [bold]{decision.status.value}[/]")
    for r in decision.reasons:
        console.print(escape(f"  {r.text} ({r.rule}; source {r.source})"), highlight=False)
    print_reasons(warnings)
