"""The audit trail's actions in a clinician's words, for every face that lists the trail (the
CLI's `itbtwin audit` and patient/pump views, the web's audit view); `--json` and exports keep
the machine keys ("refill.record") that the store writes (issue 15)."""

from __future__ import annotations

from typing import Any

from itbtwin.display import format_number, in_words
from itbtwin.record_words import is_program, labelled, program_words, readable

AUDIT_ACTIONS: dict[str, str] = {
    "patient.add": "Patient added",
    "patient.update": "Patient details changed",
    "patient.discharge": "Patient discharged",
    "pump.implant": "Pump implanted",
    "pump.revise": "Pump or catheter revised",
    "pump.explant": "Pump explanted",
    "event.record": "Event recorded",
    "event.void": "Event voided",
    "program.set": "Program changed",
    "program.propose": "Program change proposed",
    "program.confirm": "Program change confirmed",
    "program.declined": "Program change declined",
    "program.withdrawn": "Program change withdrawn",
    "program_version.void": "Program version voided",
    "refill.record": "Refill recorded",
    "refill.amend": "Refill corrected",
    "refill.void": "Refill voided",
    "assessment.record": "Assessment recorded",
    "assessment.amend": "Assessment corrected",
    "assessment.void": "Assessment voided",
    "visit.book": "Visit booked",
    "clinic.settings": "Clinic settings changed",
    "clinic.import": "Clinic records imported",
    "user.add": "User added",
    "user.disable": "User disabled",
    "user.reset_password": "Password reset by an administrator",
    "user.change_password": "Password changed",
    "user.enrol_totp": "Authenticator app enrolled",
    "user.end_session": "Session ended",
    "user.end_sessions": "Signed out everywhere",
}
"""Each action key the store writes (`store.audit`) and the label a clinician reads."""

AUDIT_KINDS: dict[str, str] = {
    "patient": "Patients",
    "pump": "Pumps",
    "event": "Events",
    "program": "Programs",
    "program_version": "Program versions",
    "refill": "Refills",
    "assessment": "Assessments",
    "visit": "Visits",
    "clinic": "Clinic",
    "user": "Users",
}
"""The first part of an action key, the kind the web's audit view filters by."""


def audit_action(key: str) -> str:
    """An action key as a clinician reads it: "refill.record" -> "Refill recorded"; a key of
    an older or imported trail that the table lacks is spelt out in words ("Pump: replace")."""
    if key in AUDIT_ACTIONS:
        return AUDIT_ACTIONS[key]
    kind, _, verb = key.partition(".")
    words = in_words(kind)
    text = f"{words}: {in_words(verb)}" if verb else words
    return text[:1].upper() + text[1:]


def audit_kind(kind: str) -> str:
    """A kind of action ("refill") as the audit view's filter names it ("Refills")."""
    return AUDIT_KINDS.get(kind) or audit_action(kind)


AUDIT_DIGITS = 5
"""Significant digits of the audit trail's numbers: what was stored (a dose entered to the
hundredth, 162.75 mcg/day) without a float's noise (162.75000000000003)."""


def _dose_change(key: str, value: Any) -> tuple[str, str] | None:
    """A program change's mean daily dose before and after (`mcg_per_day`: [current, proposed],
    `clinic.SafetyCheck`) as "130 → 155 mcg/day"; None for any other field."""
    if key != "mcg_per_day" or not isinstance(value, list) or len(value) != 2:
        return None
    before, after = (format_number(v, digits=AUDIT_DIGITS) for v in value)
    return "Mean daily dose", f"{before} → {after} mcg/day"


def audit_fields(record: Any) -> list[tuple[str, str]]:
    """An audit entry's record (its `what`, or the before or after inside it) as (label, value)
    pairs a clinician reads: labels for keys, units, the one date format, a program as its steps
    and doses, a program change's daily dose as "before → after". The web's audit view and the
    CLI's `itbtwin audit` both show these; `--json` keeps the stored keys."""
    if is_program(record):
        return [("Program", program_words(record, AUDIT_DIGITS))]
    if not isinstance(record, dict):
        return [("", readable(record, AUDIT_DIGITS))]
    return [
        _dose_change(key, value) or labelled(key, value, AUDIT_DIGITS)
        for key, value in record.items()
    ]


def audit_text(record: Any) -> str:
    """An audit entry's record as lines "Label: value" (the CLI's table cell)."""
    return "\n".join(
        f"{label}: {value}" if label else value for label, value in audit_fields(record)
    )


SUMMARY_KEYS = (
    *("serial", "version", "device", "fill_ml", "program", "state"),
    *("withdrawn_ml", "expected_ml", "injected_ml", "concentration_mcg_per_ml", "error_pct"),
    *("kind", "fraction", "programmed_mcg_per_ml"),
    *("mas", "penn_frequency", "penn_severity"),
)
"""The fields of an audit record a clinician needs in a one-line summary (a report's "What"
column), in this order: which pump and program, a refill's volumes and delivery error, an
event's kind and size, an assessment's scores. The full record stays in `audit_fields`."""


def _summary_pairs(record: dict[str, Any], keys: Any) -> list[str]:
    pairs = (labelled(key, record[key], AUDIT_DIGITS) for key in keys if key in record)
    return [f"{label}: {value}" for label, value in pairs]


def _changes(before: dict[str, Any], after: dict[str, Any]) -> str:
    """A correction's or update's changed fields, "Withdrawn (mL): 4.6 → 4.8" (key fields only
    where any changed, else every changed field)."""
    changed = [k for k in after if before.get(k) != after[k]]
    shown = [k for k in SUMMARY_KEYS if k in changed] or changed
    lines = []
    for key in shown:
        label, old = labelled(key, before.get(key), AUDIT_DIGITS)
        lines.append(f"{label}: {old} → {labelled(key, after[key], AUDIT_DIGITS)[1]}")
    return "; ".join(lines)


def audit_summary(record: Any) -> str:
    """An audit entry's record in one short line for a report's "What" column: a program
    change's mean daily dose ("250 → 258.33 mcg/day mean daily dose"), a correction's changed
    fields, a voided entry's key fields, otherwise the `SUMMARY_KEYS` fields present ("" when
    none: the action says it all, e.g. "Patient added")."""
    if not isinstance(record, dict):
        return readable(record, AUDIT_DIGITS)
    dose = _dose_change("mcg_per_day", record.get("mcg_per_day"))
    if dose is not None:
        return f"{dose[1]} mean daily dose"
    if isinstance(record.get("before"), dict) and isinstance(record.get("after"), dict):
        return _changes(record["before"], record["after"])
    if isinstance(record.get("voided"), dict):
        return "voided " + "; ".join(_summary_pairs(record["voided"], SUMMARY_KEYS))
    return "; ".join(_summary_pairs(record, SUMMARY_KEYS))
