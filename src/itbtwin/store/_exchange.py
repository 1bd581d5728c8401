"""The whole clinic as one JSON document and back: `export_clinic`, `import_clinic`.

Format ``itbtwin-clinic`` version 1 (docs/exchange.md): patients with their pumps (revisions,
program versions, refills, events) and assessments, then the audit trail. Units are in the key
names as in the tables (mcg, mL, mcg/mL, kg, cm); times are ISO text, record times the clinic's
wall-clock time, audit times UTC. An audit entry points at its record by `ref`, a path in the
document ("P001", "P001/pumps/0/refills/2"), never by a database id, so relations survive new ids.

Import reads the whole document before it writes anything: the format marker and version, every
field's type, and the cheap record checks (ranges, known origin, level, device, catheter, product,
time zone, a program the device can run). It does not re-run the safety checks (program change,
refill reconciliation, dates in the past): they judged the history when it was recorded, and
their findings are imported as recorded. Identifiers and serials already stored are refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.errors import ItbError, RecordError
from itbtwin.store._audit import audit
from itbtwin.store._exchange_checks import CHECKS, check_pump_children
from itbtwin.store._schema import (
    Assessment,
    AuditEntry,
    EventRecord,
    Patient,
    ProgramVersion,
    Pump,
    RefillRecord,
    Revision,
)

FORMAT, VERSION = "itbtwin-clinic", 1
"""The format marker and the version this code writes and reads."""

FIELDS: dict[str, dict[str, str]] = {
    "patient": {
        **dict.fromkeys(("identifier", "origin", "diagnosis"), "str"),
        "birth_date": "date",
        "weight_kg": "number",
        "injury_level": "str?",
        **dict.fromkeys(("communication_difficulty", "prior_withdrawal"), "bool"),
        "missed_visits": "int",
    },
    "pump": {
        **dict.fromkeys(("device", "serial"), "str"),
        "implanted_at": "datetime",
        **dict.fromkeys(("time_zone", "catheter_model"), "str"),
        "catheter_length_cm": "number",
        "tip_level": "str?",
        "explanted_at": "datetime?",
    },
    "revision": {
        "revised_at": "datetime",
        "catheter_model": "str",
        "catheter_length_cm": "number",
        "tip_level": "str?",
        "reason": "str",
    },
    "program": {
        "version": "int",
        "effective_at": "datetime",
        "document": "object",
        **dict.fromkeys(("mean_daily_dose_mcg", "concentration_mcg_per_ml"), "number"),
        "verdict": "str",
        "override_reason": "str?",
        "entered_by": "str",
    },
    "refill": {
        "performed_at": "datetime",
        **dict.fromkeys(("withdrawn_ml", "expected_ml", "injected_ml"), "number"),
        "measured_ml": "number?",
        "product": "str",
        "concentration_mcg_per_ml": "number",
        "lot": "str",
        "discrepancy_ml": "number",
        **dict.fromkeys(("error_pct", "pocket_discrepancy_ml"), "number?"),
        "pocket_fill_flag": "bool",
        "performed_by": "str",
    },
    "assessment": {
        "assessed_at": "datetime",
        "mas": "object",
        **dict.fromkeys(("penn_frequency", "penn_severity"), "int?"),
        **dict.fromkeys(("adverse_effects", "assessed_by"), "str"),
    },
    "event": {"occurred_at": "datetime", "kind": "str", "detail": "str"},
    "audit": {
        "at": "datetime",
        **dict.fromkeys(("actor", "action", "entity"), "str"),
        "ref": "str?",
        "what": "object",
        "why": "str",
    },
}
"""Every record's fields and JSON types (``?``: may be null), in the order they are written."""
NEST = {
    "patient": {"pumps": "pump", "assessments": "assessment"},
    "pump": {"revisions": "revision", "programs": "program", "refills": "refill", "events": "event"},
}
MODEL: dict[str, type[Any]] = {
    "patient": Patient,
    "pump": Pump,
    "revision": Revision,
    "program": ProgramVersion,
    "refill": RefillRecord,
    "assessment": Assessment,
    "event": EventRecord,
}
_ORDER = {"pumps": "implanted_at", "revisions": "revised_at", "programs": "version"}
_ORDER |= {"refills": "performed_at", "events": "occurred_at", "assessments": "assessed_at"}
_EXPECTED = {
    "str": "text",
    "number": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "object": "an object",
    "date": "a date YYYY-MM-DD",
    "datetime": "a date and time YYYY-MM-DDTHH:MM without a UTC offset",
}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _export(obj: Any, kind: str, ref: str, refs: dict[tuple[str, int], str]) -> dict[str, Any]:
    refs[(MODEL[kind].__tablename__, obj.id)] = ref
    out = {name: _json(getattr(obj, name)) for name in FIELDS[kind]}
    for attr, child in NEST.get(kind, {}).items():
        items = sorted(getattr(obj, attr), key=lambda r, a=attr: (getattr(r, _ORDER[a]), r.id))
        out[attr] = [_export(r, child, f"{ref}/{attr}/{i}", refs) for i, r in enumerate(items)]
    return out


def export_clinic(
    session: Session, *, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """The whole clinic as one JSON-ready document; `progress(1)` after each patient."""
    refs: dict[tuple[str, int], str] = {}
    patients = []
    for patient in session.scalars(select(Patient).order_by(Patient.identifier)):
        patients.append(_export(patient, "patient", patient.identifier, refs))
        if progress is not None:
            progress(1)
    trail = []
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        row = {name: _json(getattr(entry, name, None)) for name in FIELDS["audit"]}
        row["ref"] = refs.get((entry.entity, entry.entity_id)) if entry.entity_id else None
        trail.append(row)
    exported_at = datetime.now(UTC).isoformat(timespec="seconds")
    head = {"format": FORMAT, "version": VERSION, "exported_at": exported_at}
    return {**head, "patients": patients, "audit": trail}


def _typed(value: Any, kind: str, path: str) -> Any:
    base = kind.rstrip("?")
    if value is None and kind.endswith("?"):
        return None
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if base == "number" and number and math.isfinite(value):
        return float(value)
    if base == "int" and number and isinstance(value, int):
        return value
    kinds = {"str": str, "bool": bool, "object": dict}
    if base in kinds and isinstance(value, kinds[base]):
        return value
    if base in ("date", "datetime") and isinstance(value, str):
        try:
            parsed = (date if base == "date" else datetime).fromisoformat(value)
        except ValueError:
            pass
        else:
            if not isinstance(parsed, datetime) or parsed.tzinfo is None:
                return parsed
    raise RecordError(f"{path}: expected {_EXPECTED[base]}")


def _items(data: dict[str, Any], name: str, path: str) -> list[Any]:
    if name not in data:
        raise RecordError(f"{path}.{name}: missing")
    if not isinstance(data[name], list):
        raise RecordError(f"{path}.{name}: expected a list")
    return data[name]


def _parse(data: Any, kind: str, path: str, parent: dict[str, Any]) -> dict[str, Any]:
    """One record as typed fields (children under their list names), checked; errors name it."""
    if not isinstance(data, dict):
        raise RecordError(f"{path}: expected an object")
    nest = NEST.get(kind, {})
    unknown = sorted(set(data) - set(FIELDS[kind]) - set(nest))
    if unknown:
        raise RecordError(f"{path}.{unknown[0]}: not a field of a {kind} record")
    fields = {}
    for name, type_name in FIELDS[kind].items():
        if name not in data:
            raise RecordError(f"{path}.{name}: missing")
        fields[name] = _typed(data[name], type_name, f"{path}.{name}")
    try:
        CHECKS[kind](fields, parent)
    except ItbError as err:
        raise RecordError(f"{path}: {err}") from None
    for attr, child in nest.items():
        items = _items(data, attr, path)
        fields[attr] = [_parse(r, child, f"{path}.{attr}[{i}]", fields) for i, r in enumerate(items)]
    if kind == "pump":
        check_pump_children(fields, path)
    return fields


def read_clinic(document: Any) -> dict[str, Any]:
    """Check a whole `itbtwin-clinic` document; every error is a one-line `RecordError`."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RecordError(f"not an itbtwin clinic export (no 'format': '{FORMAT}')")
    if document.get("version") != VERSION:
        raise RecordError(
            f"itbtwin clinic export version {document.get('version')!r} is not supported "
            f"(this itbtwin reads version {VERSION})"
        )
    patients = [
        _parse(p, "patient", f"patients[{i}]", {})
        for i, p in enumerate(_items(document, "patients", "clinic"))
    ]
    trail = [_parse(a, "audit", f"audit[{i}]", {}) for i, a in enumerate(_items(document, "audit", "clinic"))]
    return {"patients": patients, "audit": trail, "exported_at": document.get("exported_at")}


def clinic_counts(document: dict[str, Any]) -> dict[str, int]:
    """How many records of each kind a clinic document holds (audit entries included)."""
    counts = dict.fromkeys(("patients", *NEST["patient"], *NEST["pump"]), 0)
    for patient in document["patients"]:
        counts["patients"] += 1
        for attr in NEST["patient"]:
            counts[attr] += len(patient[attr])
        for pump in patient["pumps"]:
            for attr in NEST["pump"]:
                counts[attr] += len(pump[attr])
    return {**counts, "audit_entries": len(document["audit"])}


def _build(kind: str, fields: dict[str, Any], ref: str, refs: dict[str, Any]) -> Any:
    nest = NEST.get(kind, {})
    obj = MODEL[kind](**{k: v for k, v in fields.items() if k not in nest})
    refs[ref] = obj
    for attr, child in nest.items():
        children = fields[attr]
        getattr(obj, attr).extend(
            _build(child, c, f"{ref}/{attr}/{i}", refs) for i, c in enumerate(children)
        )
    return obj


def _refuse_taken(session: Session, column: Any, wanted: list[str], what: str) -> None:
    if len(set(wanted)) < len(wanted):
        twice = next(w for w in wanted if wanted.count(w) > 1)
        raise RecordError(f"the file holds {what} {twice!r} twice")
    for start in range(0, len(wanted), 500):
        taken = session.scalar(select(column).where(column.in_(wanted[start : start + 500])))
        if taken is not None:
            raise RecordError(
                f"{what} {taken!r} is already in this database; import adds a clinic's records "
                "and never merges or overwrites them"
            )


def import_clinic(
    session: Session,
    document: Any,
    actor: str,
    *,
    file: str = "",
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Add an exported clinic to this database, in the caller's transaction (all or nothing).

    Checks the whole `document` first (`read_clinic`) and refuses identifiers and serials already
    stored. Program version numbers, record times and the audit trail (original actors and
    times) are kept; one more audit entry records the import (`actor`, `file`). Returns the
    counts of what was added; `progress(1)` after each patient.
    """
    clinic = read_clinic(document)
    patients = clinic["patients"]
    serials = [pump["serial"] for p in patients for pump in p["pumps"]]
    _refuse_taken(session, Patient.identifier, [p["identifier"] for p in patients], "patient")
    _refuse_taken(session, Pump.serial, serials, "pump serial")
    refs: dict[str, Any] = {}
    for patient in patients:
        session.add(_build("patient", patient, patient["identifier"], refs))
        session.flush()
        if progress is not None:
            progress(1)
    for i, entry in enumerate(clinic["audit"]):
        ref = entry.pop("ref")
        target = refs.get(ref) if ref is not None else None
        if ref is not None and getattr(target, "__tablename__", None) != entry["entity"]:
            raise RecordError(f"audit[{i}].ref: no {entry['entity']} record {ref!r} in the file")
        session.add(AuditEntry(**entry, entity_id=None if target is None else target.id))
    counts = clinic_counts(clinic)
    what = {"file": file, "exported_at": clinic["exported_at"], **counts}
    audit(session, actor, "clinic.import", "clinic", None, what)
    session.flush()
    return counts
