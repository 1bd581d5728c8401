"""The whole clinic as one JSON document and back: `export_clinic`, `import_clinic`.

Format ``itbtwin-clinic`` version 1 (`_exchange_format`, docs/exchange.md): patients with their
pumps (revisions, program versions, refills, events) and assessments, then the audit trail. Units
are in the key names as in the tables (mcg, mL, mcg/mL, kg, cm); times are ISO text, record times
the clinic's wall-clock time, audit times UTC. An audit entry points at its record by `ref`, the
record's path in the document ("P001", "P001/pumps/0/refills/2"), never by a database id, so the
relations survive the new ids an import gives.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.store._audit import audit
from itbtwin.store._exchange_format import FIELDS, FORMAT, MODEL, NEST, VERSION, read_clinic
from itbtwin.store._import_limits import check_document_size
from itbtwin.store._schema import AuditEntry, Correction, Patient, Pump
from itbtwin.store._times import with_offset_if_repeated

ORDER = {"pumps": "implanted_at", "revisions": "revised_at", "programs": "version"}
ORDER |= {"refills": "performed_at", "events": "occurred_at", "assessments": "assessed_at"}
"""How each list is ordered in the document (then by database id): by time, programs by version."""
Progress = Callable[[int], None]


def _json(value: Any, time_zone: str | None = None) -> Any:
    """A field as JSON: dates and times as ISO text, a wall time the clocks repeated in
    `time_zone` with its UTC offset (the import refuses one without, issue 17)."""
    if isinstance(value, datetime) and time_zone is not None:
        value = with_offset_if_repeated(value, time_zone)
    return value.isoformat() if isinstance(value, date) else value


def _export(
    obj: Any, kind: str, ref: str, refs: dict[tuple[str, int], str], time_zone: str | None = None
) -> dict[str, Any]:
    refs[(MODEL[kind].__tablename__, obj.id)] = ref
    if kind == "pump":
        time_zone = obj.time_zone
    out = {name: _json(getattr(obj, name), time_zone) for name in FIELDS[kind]}
    for attr, child in NEST.get(kind, {}).items():
        rows = getattr(obj, f"recorded_{attr}", None) or getattr(obj, attr)
        items = sorted(rows, key=lambda r, a=attr: (getattr(r, ORDER[a]), r.id))
        if attr == "assessments" and out.get("pumps"):  # read in the last pump's zone
            time_zone = out["pumps"][-1]["time_zone"]
        out[attr] = [
            _export(r, child, f"{ref}/{attr}/{i}", refs, time_zone) for i, r in enumerate(items)
        ]
    return out


def export_clinic(session: Session, *, progress: Progress | None = None) -> dict[str, Any]:
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
    return {
        **head,
        "patients": patients,
        "audit": trail,
        "corrections": _corrections(session, refs),
    }


def _corrections(session: Session, refs: dict[tuple[str, int], str]) -> list[dict[str, Any]]:
    """Every correction, its entries named by their paths in the document (like audit refs)."""
    return [
        {
            "entity": c.entity,
            "original": refs[(c.entity, c.original_id)],
            "replacement": refs.get((c.entity, c.replacement_id)) if c.replacement_id else None,
            "kind": c.kind,
            "corrected_at": _json(c.corrected_at),
            "corrected_by": c.corrected_by,
            "reason": c.reason,
        }
        for c in session.scalars(select(Correction).order_by(Correction.id))
    ]


def clinic_counts(document: dict[str, Any]) -> dict[str, int]:
    """How many records of each kind a clinic document holds."""
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
        getattr(obj, attr).extend(
            _build(child, c, f"{ref}/{attr}/{i}", refs) for i, c in enumerate(fields[attr])
        )
    return obj


def _refuse_taken(session: Session, column: Any, wanted: list[str], what: str) -> None:
    lower = [w.lower() for w in wanted]  # identifiers and serials are unique whatever the case
    for start in range(0, len(lower), 500):
        chunk = lower[start : start + 500]
        taken = session.scalar(select(column).where(func.lower(column).in_(chunk)))
        if taken is not None:
            raise RecordError(
                f"{what} {taken!r} is already in this database (an import adds records; it "
                "never merges or overwrites them)"
            )


def import_clinic(
    session: Session,
    document: Any,
    actor: str,
    *,
    file: str = "",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Add an exported clinic to this database in the caller's transaction (all or nothing).

    Checks the whole `document` first (`read_clinic`) and refuses identifiers and serials already
    stored. Program version numbers, record times and the audit trail (its original actors and
    times) are kept; one more audit entry records the import (`actor`, `file`). Returns the
    counts of what was added; `progress(1)` after each patient.
    """
    check_document_size(document)
    clinic = read_clinic(document)
    patients = clinic["patients"]
    _refuse_taken(session, Patient.identifier, [p["identifier"] for p in patients], "patient")
    serials = [pump["serial"] for p in patients for pump in p["pumps"]]
    _refuse_taken(session, Pump.serial, serials, "pump serial")
    refs: dict[str, Any] = {}
    for patient in patients:
        session.add(_build("patient", patient, patient["identifier"], refs))
        session.flush()
        if progress is not None:
            progress(1)
    for fields in clinic["corrections"]:
        original, replacement = refs[fields["original"]], refs.get(fields["replacement"] or "")
        session.add(
            Correction(
                **{k: fields[k] for k in ("entity", "kind", "corrected_at", "corrected_by")},
                reason=fields["reason"],
                original_id=original.id,
                replacement_id=None if replacement is None else replacement.id,
            )
        )
    for entry in clinic["audit"]:
        target = refs.get(entry["ref"]) if entry["ref"] is not None else None
        fields = {k: v for k, v in entry.items() if k != "ref"}
        session.add(AuditEntry(**fields, entity_id=None if target is None else target.id))
    counts = clinic_counts(clinic)
    what = {"file": file, "exported_at": clinic["exported_at"], **counts}
    audit(session, actor, "clinic.import", "clinic", None, what)
    session.flush()
    return counts
