"""What a twin outcome found, as `Reason`s, and the tables of the numbers it used, with sources.

Findings restate the outcome's summary with the source of each threshold: alarms (the device's
labelling, `pump.ALARMS`), the withdrawal signal (model-derived threshold on the tone effect; the
label's boxed warning for its danger), the overdose levels (`patient.OVERDOSE`), the systemic
signal (`sim.SIGNALS`, an assumption) and a suspected pocket fill (maino2017).
"""

from __future__ import annotations

from typing import Any

from itbtwin.clinic import Reason, Verdict
from itbtwin.display import DAYS_AFTER_H, format_elapsed_h
from itbtwin.patient import OVERDOSE, EffectParams
from itbtwin.pump import ALARMS
from itbtwin.report._parameter_labels import parameter_label
from itbtwin.sim import SIGNALS, Scenario, TwinOutcome

DEVICE_NUMBERS = (
    ("reservoir_ml", "reservoir volume", "mL"),
    ("low_reservoir_alarm_ml", "low-reservoir alarm threshold", "mL"),
    ("empty_alarm_ml", "empty-reservoir alarm volume", "mL"),
    ("stability_h", "drug stability in the reservoir", "h"),
    ("single_repeat_h", "repeat of a single-tone alarm", "h"),
    ("critical_repeat_h", "repeat of a two-tone alarm", "h"),
    ("flow_bias", "mean relative flow error", "1"),
    ("pocket_fill_threshold_ml", "refill discrepancy that flags a pocket fill", "mL"),
)
"""Device numbers the twin's reservoir, alarms and refill checks use: field, label, unit."""
WITHDRAWAL_SOURCE = "derived+label:boxed-warning"
"""The withdrawal signal: model-derived threshold; its danger from the label's boxed warning."""


def twin_findings(outcome: TwinOutcome) -> list[Reason]:
    """Alarms, withdrawal, overdose, systemic and pocket-fill signals of one outcome."""
    s: dict[str, Any] = outcome.summary
    found: list[Reason] = []
    for alarm, day in s.get("first_day_of", {}).items():
        if alarm in ALARMS:
            kind = ALARMS[alarm]
            verdict = Verdict.BLOCK if kind.critical else Verdict.WARN
            text = f"{kind.label} alarm from day {day:.2f} ({kind.tone.replace('_', '-')} tone)"
            found.append(Reason(f"alarm_{alarm}", verdict, kind.source, text))
    if s.get("withdrawal_h"):
        text = (
            f"withdrawal signal for {format_elapsed_h(s['withdrawal_h'])} from day "
            f"{s['first_withdrawal_day']:.2f}: the tone effect fell below half its controlled "
            "value (model-derived; abrupt discontinuation can be life-threatening)"
        )
        found.append(Reason("signal_withdrawal", Verdict.BLOCK, WITHDRAWAL_SOURCE, text))
    level = int(s.get("max_overdose_level") or 0)
    if level:
        signal = OVERDOSE[min(level, len(OVERDOSE)) - 1]
        text = (
            f"{signal.name} (level {level}) from day {s['first_overdose_day']:.2f}, "
            f"{format_elapsed_h(s['overdose_h'])} in all: watch for {signal.symptoms} "
            "(model-derived)"
        )
        verdict = Verdict.WARN if level == 1 else Verdict.BLOCK
        found.append(Reason("signal_overdose", verdict, signal.source, text))
    for signal in SIGNALS:
        hours = s.get(f"{signal.name}_h")
        if hours:
            first = s[f"first_{signal.name}_day"]
            text = f"{signal.help}: {format_elapsed_h(hours)} from day {first:.2f}"
            found.append(Reason(f"signal_{signal.name}", Verdict.WARN, signal.source, text))
    for event in outcome.events:
        if event.kind == "pocket_fill_suspected":
            text = f"day {event.time_h / 24:.2f}: {event.detail}"
            found.append(Reason("pocket_fill_suspected", Verdict.BLOCK, "maino2017", text))
    if not found:
        found.append(
            Reason("no_signal", Verdict.PASS, "derived", "no alarm, withdrawal or overdose signal")
        )
    return found


def parameter_rows(scenario: Scenario, params: Any) -> list[tuple[Any, ...]]:
    """PK and effect parameters: (model, label with unit, key, value, description, source); the
    label is a clinician's (`parameter_label`), the key the model's, for the pharmacometrician."""
    rows: list[tuple[Any, ...]] = []
    for model, table in (("PK", params.table()), ("effect", EffectParams.typical().table())):
        for r in table:
            help_ = r["help"]
            if model == "effect" and r["name"] == "tolerance":
                help_ += "; set so the prescription at hour 0 controls tone (creedon1997)"
            label = parameter_label(r["name"], r["unit"])
            rows.append((model, label, r["name"], float(r["value"]), help_, r["source"]))
    return rows


def hours_or_days(hours: float) -> tuple[float, str]:
    """An elapsed time (h) as (value, unit) for a table: days past 48 h, else hours."""
    return (hours / 24, "days") if hours > DAYS_AFTER_H else (hours, "h")


def device_rows(scenario: Scenario) -> list[tuple[Any, ...]]:
    """Device and catheter numbers: (name, value, unit, source, read or from memory)."""
    therapy = scenario.therapy
    device, catheter = therapy.device, therapy.catheter
    rows: list[tuple[Any, ...]] = []
    for name, label, unit in DEVICE_NUMBERS:
        provenance = device.source_of(name)
        value = getattr(device, name)
        if unit == "h":
            value, unit = hours_or_days(value)
        rows.append((label, value, unit, provenance.source, provenance.verified))
    rows.append(
        (
            f"catheter {catheter.model} internal volume",
            catheter.volume_ml_per_cm,
            "mL/cm",
            catheter.provenance.source,
            catheter.provenance.verified,
        )
    )
    return rows
