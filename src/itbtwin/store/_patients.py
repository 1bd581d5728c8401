"""Patients: add, update, find and list them; who they are and their boxed-warning risk factors."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itbtwin.drug import check_origin
from itbtwin.errors import RecordError
from itbtwin.patient import parse_level
from itbtwin.store._audit import audit
from itbtwin.store._bounds import (
    BOUND,
    check_birth,
    check_bound,
    check_identifier,
    check_text,
    fault_kind,
    shown,
)
from itbtwin.store._fault_closing import is_open, missed_visits
from itbtwin.store._schema import Patient

if TYPE_CHECKING:  # the risk rules load when a risk is assessed, not when a patient is read
    from sqlalchemy.sql.base import ExecutableOption

    from itbtwin.clinic import RiskRecord


def patient_fields(patient: Patient) -> dict[str, object]:
    """The patient as plain data (dates as ISO text), for JSON, export and the audit trail."""
    return {
        "identifier": patient.identifier,
        "birth_date": patient.birth_date.isoformat(),
        "weight_kg": patient.weight_kg,
        "origin": patient.origin,
        "diagnosis": patient.diagnosis,
        "injury_level": patient.injury_level,
        "communication_difficulty": patient.communication_difficulty,
        "prior_withdrawal": patient.prior_withdrawal,
        "missed_visits": patient.missed_visits,
        "discharged_at": patient.discharged_at and patient.discharged_at.isoformat(),
    }


def age_years(patient: Patient, on: date) -> float:
    """Age on a day (years, 365.25-day years)."""
    return (on - patient.birth_date).days / 365.25


def open_faults(patient: Patient, at: datetime | None = None) -> tuple[str, ...]:
    """Fault kinds (`pump.FAULT_KINDS`, read through `fault_kind`: any case, catheter faults
    also as ``catheter_<fault>``) recorded on the implanted pump and not yet closed by the record
    their kind names (`store._fault_closing.CLOSED_BY`: a catheter revision, the next refill, a
    new program version, an interrogation); a new pump ends the old one's faults. Read at `at`
    (clinic time; None: everything recorded): a record made later has not happened yet."""
    pumps = [p for p in patient.pumps if p.explanted_at is None]
    if not pumps:
        return ()
    pump = pumps[-1]

    def happened(when: datetime) -> bool:
        return at is None or when <= at

    closings = {
        "revision": [r.revised_at for r in pump.revisions],
        "refill": [r.performed_at for r in pump.refills],
        "program": [v.effective_at for v in pump.programs],
        "interrogation": [e.occurred_at for e in pump.events if e.kind == "interrogation"],
    }
    last = {name: max(filter(happened, times), default=None) for name, times in closings.items()}
    found = [
        (kind, e.occurred_at)
        for e in pump.events
        if pump.implanted_at <= e.occurred_at
        and happened(e.occurred_at)
        and (kind := fault_kind(e.kind)) is not None
    ]
    return tuple(kind for kind, when in found if is_open(kind, when, last))


def missed_visit_count(patient: Patient, at: datetime | None = None) -> int:
    """Missed refill visits at `at` (clinic time; None: everything recorded): the count typed on
    the patient (before these records) plus the days with a ``missed_visit`` or
    ``missed_refill`` event on any of the patient's pumps (`store._fault_closing.missed_visits`)."""
    events = (
        (e.occurred_at, e.kind)
        for pump in patient.pumps
        for e in pump.events
        if at is None or e.occurred_at <= at
    )
    return missed_visits(patient.missed_visits, events)


def risk_record(patient: Patient, at: datetime | None = None) -> RiskRecord:
    """What the risk assessment reads (`clinic.RiskRecord`): boxed-warning factors, missed
    visits and the faults found by `at` (clinic time) and not yet resolved."""
    from itbtwin.clinic import RiskRecord

    return RiskRecord(
        patient.injury_level,
        patient.communication_difficulty,
        patient.prior_withdrawal,
        missed_visit_count(patient, at),
        open_faults(patient, at),
    )


BODY_WEIGHT_KG = (BOUND["weight_kg"].low, BOUND["weight_kg"].high)
"""Body weights a record accepts (kg) [assumption: no patient weighs less than 1 kg or more than
400 kg, so such a weight means a wrong unit, e.g. "72 mg"; ITB is indicated from 4 years,
Gablofen label §1, reference/pharmacology.md "Pediatric age floor"]."""

UPDATABLE = (
    "weight_kg",
    "origin",
    "diagnosis",
    "injury_level",
    "communication_difficulty",
    "prior_withdrawal",
    "missed_visits",
)
"""Fields `update_patient` may change (identifier and birth date identify the patient)."""


def check_patient(
    *,
    identifier: str,
    birth_date: date,
    weight_kg: float,
    origin: str,
    today: date,
    injury_level: str | None = None,
    missed_visits: int = 0,
) -> tuple[str, str | None]:
    """Refuse impossible patient values (add, update and import share these checks).

    Returns the origin and injury level as stored (canonical spelling)."""
    if not identifier.strip():
        raise RecordError("a patient needs an identifier")
    check_birth(birth_date, today)
    if not (math.isfinite(weight_kg) and weight_kg > 0):
        raise RecordError(f"the weight must be a positive number of kg, got {weight_kg:g}")
    low, high = BODY_WEIGHT_KG
    if not low <= weight_kg <= high:
        raise RecordError(
            f"a body weight of {weight_kg:g} kg is impossible (expected {low:g}-{high:g} kg): "
            "check the unit"
        )
    if missed_visits < 0:
        raise RecordError("missed visits cannot be negative")
    check_bound("missed_visits", missed_visits, "missed visits")
    return check_origin(origin), None if injury_level is None else parse_level(injury_level)


def add_patient(
    session: Session,
    actor: str,
    *,
    identifier: str,
    birth_date: date,
    weight_kg: float,
    origin: str,
    today: date,
    diagnosis: str = "",
    injury_level: str | None = None,
    communication_difficulty: bool = False,
    prior_withdrawal: bool = False,
    missed_visits: int = 0,
    why: str = "",
) -> Patient:
    """Record a new patient (weight kg); refuses a duplicate identifier or impossible values."""
    check_identifier(identifier, "the patient identifier")
    check_text(diagnosis, "the diagnosis")
    origin, injury_level = check_patient(
        identifier=identifier,
        birth_date=birth_date,
        weight_kg=weight_kg,
        origin=origin,
        today=today,
        injury_level=injury_level,
        missed_visits=missed_visits,
    )
    same = session.scalar(
        select(Patient.identifier).where(func.lower(Patient.identifier) == identifier.lower())
    )
    if same is not None:
        also = "" if same == identifier else f" as {same!r} (identifiers ignore case)"
        raise RecordError(f"patient {identifier!r} already exists{also}")
    patient = Patient(
        identifier=identifier,
        birth_date=birth_date,
        weight_kg=weight_kg,
        origin=origin,
        diagnosis=diagnosis,
        injury_level=injury_level,
        communication_difficulty=communication_difficulty,
        prior_withdrawal=prior_withdrawal,
        missed_visits=missed_visits,
        pumps=[],  # a new patient has none: not read back at the first use (issue 13)
        assessments=[],
    )
    session.add(patient)
    session.flush()
    audit(session, actor, "patient.add", "patient", patient.id, patient_fields(patient), why)
    return patient


def update_patient(
    session: Session, actor: str, identifier: str, *, today: date, why: str = "", **changes: Any
) -> Patient:
    """Change some of a patient's `UPDATABLE` fields (weight kg); the audit entry keeps each
    changed field's value before and after. Refuses unknown fields, no change at all, and
    impossible values (the record is then left as it was)."""
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise RecordError(f"cannot update {', '.join(unknown)}; updatable: {', '.join(UPDATABLE)}")
    patient = find_patient(session, identifier, lock=True)
    before = patient_fields(patient)
    wanted = {**before, **changes}
    check_text(wanted["diagnosis"], "the diagnosis")
    wanted["origin"], wanted["injury_level"] = check_patient(
        identifier=patient.identifier,
        birth_date=patient.birth_date,
        weight_kg=wanted["weight_kg"],
        origin=wanted["origin"],
        today=today,
        injury_level=wanted["injury_level"],
        missed_visits=wanted["missed_visits"],
    )
    changed = [name for name in UPDATABLE if wanted[name] != before[name]]
    if not changed:
        raise RecordError(f"patient {identifier!r}: nothing to change (the values are the same)")
    for name in changed:
        setattr(patient, name, wanted[name])
    session.flush()
    record = {
        "identifier": patient.identifier,
        "before": {name: before[name] for name in changed},
        "after": {name: wanted[name] for name in changed},
    }
    audit(session, actor, "patient.update", "patient", patient.id, record, why)
    return patient


def find_patient(session: Session, identifier: str, *, lock: bool = False) -> Patient:
    """The patient with this identifier, or a `RecordError` naming it.

    ``lock`` holds the row until the transaction ends (PostgreSQL; SQLite writes one at a
    time anyway), for read-modify-write changes."""
    query = select(Patient).where(Patient.identifier == identifier)
    patient = session.scalar(query.with_for_update() if lock else query)
    if patient is None:
        same = session.scalar(
            select(Patient.identifier).where(func.lower(Patient.identifier) == identifier.lower())
        )
        hint = f"did you mean {same!r}?" if same else "itbtwin patient list shows who is recorded"
        raise RecordError(f"no patient {shown(identifier)} ({hint})")
    return patient


def list_patients(session: Session, *loaded: ExecutableOption) -> list[Patient]:
    """Every patient, by identifier; `loaded`: loader options (what to read with them)."""
    return list(session.scalars(select(Patient).options(*loaded).order_by(Patient.identifier)))
