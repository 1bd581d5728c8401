"""Corrections, the way clinics make them: an entry is amended or voided with a reason, never
edited or deleted.

The original row stays. A `Correction` row links it to its replacement (an amendment: a new row
of the same table with the corrected values) or to nothing (a voiding); the pump's and patient's
relationships then read only uncorrected rows, so the views, the clinic rules and the twin use
the corrected records, while `correction_rows` and the audit trail show both. Each function is
one change with its audit entry, in the caller's transaction.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.clinic import RefillCheck, RefillVisit, reconcile_refill
from itbtwin.errors import RecordError
from itbtwin.store._assessments import new_assessment, patient_wall_time
from itbtwin.store._audit import audit, utc_now
from itbtwin.store._programs import fill_volume_ml, version_at
from itbtwin.store._pumps import device_of, lock_pump
from itbtwin.store._refills import store_refill
from itbtwin.store._schema import (
    Assessment,
    Correction,
    EventRecord,
    Patient,
    ProgramVersion,
    Pump,
    RefillRecord,
)
from itbtwin.store._times import wall_time

Entry = RefillRecord | Assessment | EventRecord | ProgramVersion


def _fields(entry: Entry) -> dict[str, Any]:
    """An entry's recorded values as plain data (times as ISO text), for the audit trail."""
    out: dict[str, Any] = {}
    for column in entry.__table__.columns:
        value = getattr(entry, column.name)
        out[column.name] = value.isoformat() if isinstance(value, date) else value
    return out


def _one(found: list[Any], what: str) -> Any:
    if not found:
        raise RecordError(f"no {what} (corrected entries no longer count)")
    if len(found) > 1:
        raise RecordError(f"{len(found)} entries match {what}: say which (e.g. --kind)")
    return found[0]


def find_refill(pump: Pump, at: datetime) -> RefillRecord:
    """The pump's (uncorrected) refill recorded at a time (clinic time, to the minute)."""
    return _one(
        [r for r in pump.refills if r.performed_at == at],
        f"refill of {pump.serial} at {at:%Y-%m-%d %H:%M}",
    )


def find_assessment(patient: Patient, at: datetime) -> Assessment:
    """The patient's (uncorrected) assessment recorded at a time."""
    found = [a for a in patient.assessments if a.assessed_at == at]
    return _one(found, f"assessment of {patient.identifier} at {at:%Y-%m-%d %H:%M}")


def find_event(pump: Pump, at: datetime, kind: str | None = None) -> EventRecord:
    """The pump's (uncorrected) event recorded at a time, of `kind` when given."""
    found = [e for e in pump.events if e.occurred_at == at and kind in (None, e.kind)]
    return _one(
        found, f"event of {pump.serial} at {at:%Y-%m-%d %H:%M}" + (f" ({kind})" if kind else "")
    )


def find_version(pump: Pump, version: int) -> ProgramVersion:
    """The pump's (uncorrected) program version by number."""
    return _one(
        [v for v in pump.programs if v.version == version],
        f"program version {version} of {pump.serial}",
    )


def _correct(
    session: Session,
    actor: str,
    entry: Entry,
    *,
    kind: str,
    why: str,
    replacement: Entry | None = None,
) -> Correction:
    """The correction row of one entry; refuses an entry already corrected or no reason."""
    if not why.strip():
        raise RecordError(f"a correction needs a reason (--reason): why the entry is {kind}ed")
    table = entry.__tablename__
    taken = select(Correction.id).where(
        Correction.entity == table, Correction.original_id == entry.id
    )
    if session.scalar(taken) is not None:
        raise RecordError(f"this {table.replace('_', ' ')} was already corrected")
    correction = Correction(
        entity=table,
        original_id=entry.id,
        replacement_id=None if replacement is None else replacement.id,
        kind=kind,
        corrected_at=utc_now(),
        corrected_by=actor.strip(),
        reason=why.strip(),
    )
    session.add(correction)
    session.flush()
    return correction


def _refresh(session: Session, owner: Pump | Patient) -> None:
    """Read the owner's entries again, without the one just corrected."""
    session.flush()
    session.expire(owner)


def _owner(session: Session, entry: Entry) -> Pump | Patient:
    if isinstance(entry, Assessment):
        return session.get_one(Patient, entry.patient_id)
    return session.get_one(Pump, entry.pump_id)


def _owner_audit(entry: Entry) -> tuple[str, int]:
    return (
        ("patient", entry.patient_id) if isinstance(entry, Assessment) else ("pump", entry.pump_id)
    )


def void_entry(session: Session, actor: str, entry: Entry, *, why: str) -> Correction:
    """Void a refill, assessment, event or program version: it no longer counts anywhere.

    The implant's fill and program (version 1) are part of the implant and cannot be voided."""
    if isinstance(entry, ProgramVersion) and entry.verdict == "initial":
        raise RecordError("the implant's program (version 1) cannot be voided; amend the implant")
    if (
        isinstance(entry, RefillRecord)
        and entry.performed_at == _owner(session, entry).implanted_at
    ):
        raise RecordError("the implant's fill is part of the implant and cannot be voided")
    owner = _owner(session, entry)
    if isinstance(owner, Pump):
        lock_pump(session, owner)
    correction = _correct(session, actor, entry, kind="void", why=why)
    table = entry.__tablename__
    what = {"entity": table, "id": entry.id, "voided": _fields(entry)}
    audit(session, actor, f"{table}.void", *_owner_audit(entry), what, why)
    _refresh(session, owner)
    if isinstance(entry, RefillRecord) and isinstance(owner, Pump):
        _reconcile_after(session, actor, owner, entry.performed_at, why)
    return correction


def amend_refill(
    session: Session,
    actor: str,
    pump: Pump,
    original: RefillRecord,
    *,
    why: str,
    now: datetime,
    performed_at: datetime | None = None,
    lot: str | None = None,
    **changes: float | str | None,
) -> tuple[RefillRecord, RefillCheck]:
    """Amend a refill: the corrected visit is reconciled again and stored as a new row linked to
    the original (volumes mL, concentration mcg/mL; `changes` are `RefillVisit` fields)."""
    unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(RefillVisit)})
    if unknown:
        raise RecordError(f"cannot amend {', '.join(unknown)} of a refill")
    if original.performed_at == pump.implanted_at:
        raise RecordError("the implant's fill is part of the implant and cannot be amended here")
    before = _visit(original)
    visit = dataclasses.replace(before, **changes)  # type: ignore[arg-type]
    at = (
        original.performed_at
        if performed_at is None
        else wall_time(performed_at, pump.time_zone, "the refill")
    )
    lot = original.lot if lot is None else lot
    if visit == before and at == original.performed_at and lot == original.lot:
        raise RecordError("nothing to amend: the values are the same as recorded")
    record, check = _amended(session, actor, pump, original, visit, why, at=at, lot=lot, now=now)
    _reconcile_after(session, actor, pump, min(at, original.performed_at), why)
    return record, check


def _amended(
    session: Session,
    actor: str,
    pump: Pump,
    original: RefillRecord,
    visit: RefillVisit,
    why: str,
    *,
    at: datetime,
    lot: str,
    now: datetime,
    note_pocket_fill: bool = True,
) -> tuple[RefillRecord, RefillCheck]:
    """Store `visit` as the refill that amends `original` (reconciled again, the product's
    expiry kept), linked to it by a correction, with the audit row of both."""
    correction = _correct(session, actor, original, kind="amend", why=why)
    _refresh(session, pump)
    record, check, what = store_refill(
        session,
        actor,
        pump,
        visit,
        performed_at=at,
        lot=lot,
        now=now,
        note_pocket_fill=note_pocket_fill,
        product_expiry=original.product_expiry,
    )
    correction.replacement_id = record.id
    session.flush()
    change = {"entity": "refill", "id": original.id, "before": _fields(original), "after": what}
    audit(session, actor, "refill.amend", "refill", record.id, change, why)
    return record, check


def _visit(record: RefillRecord) -> RefillVisit:
    """A stored refill as the visit it records (mL, mcg/mL)."""
    return RefillVisit(
        record.withdrawn_ml,
        record.expected_ml,
        record.injected_ml,
        record.product,
        record.concentration_mcg_per_ml,
        record.measured_ml,
    )


def _reconcile_after(session: Session, actor: str, pump: Pump, since: datetime, why: str) -> None:
    """The refill after a corrected fill was reconciled against that fill: when its delivery
    error now reads differently, it is reconciled again as a linked amendment (same visit), so no
    view or replay reads a reconciliation against a fill that no longer counts."""
    later = [r for r in pump.refills if r.performed_at > since]
    if not later:
        return
    following = later[0]
    previous = [r for r in pump.refills if r.performed_at < following.performed_at][-1]
    check = reconcile_refill(
        _visit(following),
        device_of(pump),
        last_fill_ml=fill_volume_ml(previous),
        program_concentration_mcg_per_ml=version_at(
            pump, following.performed_at
        ).concentration_mcg_per_ml,
    )
    if check.error_pct == following.error_pct:
        return
    reason = f"reconciled again: the fill before it was corrected ({why})"
    at = following.performed_at
    _amended(
        session,
        actor,
        pump,
        following,
        _visit(following),
        reason,
        at=at,
        lot=following.lot,
        now=at,
        note_pocket_fill=False,
    )


ASSESSMENT_FIELDS = ("mas", "penn_frequency", "penn_severity", "adverse_effects")
"""What an amended assessment may correct (besides its time)."""


def amend_assessment(
    session: Session,
    actor: str,
    patient: Patient,
    original: Assessment,
    *,
    why: str,
    now: datetime,
    assessed_at: datetime | None = None,
    **changes: Any,
) -> Assessment:
    """Amend an assessment (MAS grades, Penn scores, adverse effects, its time): the corrected
    one is checked like a new one and stored as a new row linked to the original."""
    unknown = sorted(set(changes) - set(ASSESSMENT_FIELDS))
    if unknown:
        raise RecordError(f"cannot amend {', '.join(unknown)} of an assessment")
    before = {name: getattr(original, name) for name in ASSESSMENT_FIELDS}
    wanted = before | changes
    at = original.assessed_at if assessed_at is None else assessed_at
    if wanted == before and at == original.assessed_at:
        raise RecordError("nothing to amend: the values are the same as recorded")
    correction = _correct(session, actor, original, kind="amend", why=why)
    _refresh(session, patient)
    record, what = new_assessment(session, actor, patient, assessed_at=at, now=now, **wanted)
    correction.replacement_id = record.id
    session.flush()
    change = {"entity": "assessment", "id": original.id, "before": _fields(original), "after": what}
    audit(session, actor, "assessment.amend", "assessment", record.id, change, why)
    return record


def discharge_patient(
    session: Session, actor: str, patient: Patient, *, at: datetime, now: datetime, why: str
) -> Patient:
    """Mark a patient discharged from the clinic at `at`: kept with every record, but left out of
    the refill schedule and the risk list from then on. Their implanted pump stays recorded.
    Its time is checked as an assessment's (the pump's zone, after the birth: issue 17)."""
    at = patient_wall_time(patient, at, "the discharge")
    if at > now:
        raise RecordError(f"the discharge at {at:%Y-%m-%d %H:%M} is in the future")
    if patient.discharged_at is not None:
        raise RecordError(
            f"patient {patient.identifier!r} was discharged on {patient.discharged_at:%Y-%m-%d}"
        )
    if not why.strip():
        raise RecordError("a discharge needs a reason (--reason)")
    patient.discharged_at = at
    session.flush()
    what = {"identifier": patient.identifier, "discharged_at": at.isoformat()}
    audit(session, actor, "patient.discharge", "patient", patient.id, what, why)
    return patient
