"""A patient's records as plain tables (lists of dicts with units in the keys), for the faces:
`itbtwin patient show`, the patient report, JSON. One place decides what a record shows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, selectinload

from itbtwin.audit_labels import audit_action, audit_summary
from itbtwin.pump import find_device
from itbtwin.store._audit import patient_audit
from itbtwin.store._in_effect import fill_at, version_at
from itbtwin.store._patients import age_years, list_patients, patient_fields
from itbtwin.store._schema import Assessment, EventRecord, Patient, ProgramVersion, Pump

if TYPE_CHECKING:  # `patient list` reads rows; no refill schedule is computed (issue 13)
    from itbtwin.clinic import ScheduleEntry

Rows = list[dict[str, Any]]


def _time(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _mas(assessment: Assessment) -> str:
    return "; ".join(f"{muscle} {grade}" for muscle, grade in sorted(assessment.mas.items()))


def bridge_text(version: ProgramVersion) -> str:
    """The bridge bolus recorded with a concentration change, as a clinician reads it ("" none)."""
    if version.bridge_volume_ml is None or version.bridge_duration_h is None:
        return ""
    hours = version.bridge_duration_h
    span = f"{hours / 24:.1f} days" if hours > 48 else f"{hours:.1f} h"
    return (
        f"{version.bridge_volume_ml:.2f} mL of {version.bridge_from_mcg_per_ml:g} mcg/mL at the "
        f"old rate for {span}"
    )


def program_rows(patient: Patient) -> Rows:
    """Every program version of every pump, oldest first; `program` is the stored document
    (`record_words.program_words` shows a flex program's steps on the web and in the report)."""
    return [
        {
            "serial": pump.serial,
            "version": v.version,
            "effective_at": _time(v.effective_at),
            "program": v.document,
            "mcg_per_day": round(v.mean_daily_dose_mcg, 3),
            "mcg_per_ml": v.concentration_mcg_per_ml,
            "verdict": v.verdict,
            "override_reason": v.override_reason or "",
            "bridge": bridge_text(v),
            "entered_by": v.entered_by,
        }
        for pump in patient.pumps
        for v in pump.programs
    ]


def refill_rows(patient: Patient) -> Rows:
    """Every fill and refill with its reconciliation (mL, %, mcg/mL)."""
    return [
        {
            "serial": pump.serial,
            "performed_at": _time(r.performed_at),
            "withdrawn_ml": r.withdrawn_ml,
            "expected_ml": r.expected_ml,
            "injected_ml": r.injected_ml,
            "measured_ml": r.measured_ml,
            "product": r.product,
            "mcg_per_ml": r.concentration_mcg_per_ml,
            "lot": r.lot,
            "discrepancy_ml": round(r.discrepancy_ml, 3),
            "error_pct": None if r.error_pct is None else round(r.error_pct, 1),
            "pocket_fill_flag": r.pocket_fill_flag,
            "by": r.performed_by,
        }
        for pump in patient.pumps
        for r in pump.refills
    ]


def assessment_rows(patient: Patient) -> Rows:
    """Every assessment: MAS per muscle group, Penn scores, adverse effects."""
    return [
        {
            "assessed_at": _time(a.assessed_at),
            "mas": _mas(a),
            "penn_frequency": a.penn_frequency,
            "penn_severity": a.penn_severity,
            "adverse_effects": a.adverse_effects,
            "by": a.assessed_by,
        }
        for a in patient.assessments
    ]


def _measured(event: EventRecord) -> dict[str, float]:
    """What was measured with a fault, only where recorded: a catheter fault's share of the flow
    (%), a wrong concentration's value found programmed (mcg/mL)."""
    found = {}
    if event.fraction is not None:
        found["flow_affected_pct"] = 100.0 * event.fraction
    if event.programmed_mcg_per_ml is not None:
        found["programmed_mcg_per_ml"] = event.programmed_mcg_per_ml
    return found


def event_rows(patient: Patient) -> Rows:
    """Alarms, faults (with what was measured, `_measured`) and revisions of every pump, in time
    order."""
    rows = [
        {"serial": p.serial, "at": _time(e.occurred_at), "kind": e.kind, "detail": e.detail}
        | _measured(e)
        for p in patient.pumps
        for e in p.events
    ]
    rows += [
        {
            "serial": p.serial,
            "at": _time(r.revised_at),
            "kind": "catheter_revision",
            "detail": f"{r.catheter_model} {r.catheter_length_cm:g} cm, tip "
            f"{r.tip_level or 'not recorded'}: {r.reason}",
        }
        for p in patient.pumps
        for r in p.revisions
    ]
    return sorted(rows, key=lambda row: row["at"])


def audit_rows(session: Session, patient: Patient) -> Rows:
    """Audit entries about the patient, their pumps, refills and assessments (UTC), each action
    in words ("Refill recorded"; `itbtwin audit --json` keeps the keys) with what changed in one
    short line (`audit_labels.audit_summary`: "250 → 258.33 mcg/day mean daily dose")."""
    return [
        {
            "at_utc": _time(e.at),
            "actor": e.actor,
            "action": audit_action(e.action),
            "what": audit_summary(e.what),
            "why": e.why,
        }
        for e in patient_audit(session, patient)
    ]


def patient_summary(
    patient: Patient, now: datetime, entry: ScheduleEntry | None = None
) -> dict[str, Any]:
    """One line about a patient at `now`: who, the implanted pump, the program in effect
    (mcg/day, mcg/mL), the last fill and MAS; with their refill `entry`, the reservoir (mL, the
    pump's calculation) and the days to the low-reservoir alarm."""
    row: dict[str, Any] = {
        "identifier": patient.identifier,
        "age_years": round(age_years(patient, now.date()), 1),
        "origin": patient.origin,
        "serial": None,
        "device": None,
        "daily_dose_mcg": None,
        "concentration_mcg_per_ml": None,
        "last_fill": None,
        "last_mas": None,
    }
    pumps = [p for p in patient.pumps if p.explanted_at is None and p.implanted_at <= now]
    if pumps:
        pump = pumps[-1]
        program = version_at(pump, now)
        row |= {
            "serial": pump.serial,
            "device": find_device(pump.device).name,
            "daily_dose_mcg": round(program.mean_daily_dose_mcg, 1),
            "concentration_mcg_per_ml": program.concentration_mcg_per_ml,
            "last_fill": _time(fill_at(pump, now).performed_at),
        }
    assessed = [a for a in patient.assessments if a.assessed_at <= now]
    if assessed:
        row["last_mas"] = _mas(assessed[-1])
    if entry is not None:
        low = entry.dates.low_reservoir_h
        row["reservoir_ml"] = round(entry.dates.left_ml, 1)
        ahead = entry.dates.ahead_h(low)
        row["days_to_alarm"] = None if ahead is None else round(max(ahead, 0.0) / 24, 1)
    return row


def patient_summaries(
    session: Session, *, now: datetime, entries: Sequence[ScheduleEntry] = ()
) -> Rows:
    """`patient_summary` of every patient, by identifier (with their entry when given): the
    pumps, programs, fills and assessments read in one query each, not four a patient."""
    by_name = {e.name: e for e in entries}
    loaded = (
        selectinload(Patient.pumps).selectinload(Pump.programs),
        selectinload(Patient.pumps).selectinload(Pump.refills),
        selectinload(Patient.assessments),
    )
    return [
        patient_summary(p, now, by_name.get(p.identifier)) for p in list_patients(session, *loaded)
    ]


RECORD_TABLES = {
    "Programs": "programs",
    "Refills": "refills",
    "Assessments": "assessments",
    "Alarms and events": "events",
    "Corrections": "corrections",
    "Audit trail": "audit",
}
"""A patient report's record section title → table of `patient_tables` (the CLI's and the web's)."""


def record_sections(tables: dict[str, Any]) -> dict[str, Any]:
    """The record sections of a patient report, by title, from `patient_tables`' tables."""
    return {title: tables[key] for title, key in RECORD_TABLES.items()}


def patient_tables(session: Session, patient: Patient) -> dict[str, Any]:
    """Everything recorded about a patient, as tables keyed by what they hold."""
    from itbtwin.store._correction_rows import correction_rows
    from itbtwin.store._pumps import pump_fields

    return {
        "patient": patient_fields(patient),
        "pumps": [pump_fields(p) for p in patient.pumps],
        "programs": program_rows(patient),
        "refills": refill_rows(patient),
        "assessments": assessment_rows(patient),
        "events": event_rows(patient),
        "corrections": correction_rows(session, patient),
        "audit": audit_rows(session, patient),
    }
