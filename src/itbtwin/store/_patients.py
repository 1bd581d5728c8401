"""Patients: add, find and list them; who they are and their boxed-warning risk factors."""

from __future__ import annotations

import math
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.clinic import RiskRecord
from itbtwin.drug import check_origin
from itbtwin.errors import RecordError
from itbtwin.patient import parse_level
from itbtwin.pump import FAULT_KINDS
from itbtwin.store._audit import audit
from itbtwin.store._schema import Patient


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
    }


def age_years(patient: Patient, on: date) -> float:
    """Age on a day (years, 365.25-day years)."""
    return (on - patient.birth_date).days / 365.25


def open_faults(patient: Patient) -> tuple[str, ...]:
    """Fault kinds (`pump.FAULT_KINDS`) recorded on the implanted pump since its last catheter
    revision: a revision replaces the catheter, a new pump ends the old one's faults."""
    pumps = [p for p in patient.pumps if p.explanted_at is None]
    if not pumps:
        return ()
    pump = pumps[-1]
    since = pump.revisions[-1].revised_at if pump.revisions else pump.implanted_at
    return tuple(e.kind for e in pump.events if e.kind in FAULT_KINDS and e.occurred_at >= since)


def risk_record(patient: Patient) -> RiskRecord:
    """What the risk assessment reads (`clinic.RiskRecord`): boxed-warning factors, missed
    visits and the faults found and not yet resolved."""
    return RiskRecord(
        patient.injury_level,
        patient.communication_difficulty,
        patient.prior_withdrawal,
        patient.missed_visits,
        open_faults(patient),
    )


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
    identifier = identifier.strip()
    if not identifier:
        raise RecordError("a patient needs an identifier")
    if session.scalar(select(Patient.id).where(Patient.identifier == identifier)) is not None:
        raise RecordError(f"patient {identifier!r} already exists")
    if birth_date > today:
        raise RecordError(f"the birth date {birth_date} is in the future")
    if not (math.isfinite(weight_kg) and weight_kg > 0):
        raise RecordError(f"the weight must be a positive number of kg, got {weight_kg:g}")
    if missed_visits < 0:
        raise RecordError("missed visits cannot be negative")
    patient = Patient(
        identifier=identifier,
        birth_date=birth_date,
        weight_kg=weight_kg,
        origin=check_origin(origin),
        diagnosis=diagnosis,
        injury_level=None if injury_level is None else parse_level(injury_level),
        communication_difficulty=communication_difficulty,
        prior_withdrawal=prior_withdrawal,
        missed_visits=missed_visits,
    )
    session.add(patient)
    session.flush()
    audit(session, actor, "patient.add", "patient", patient.id, patient_fields(patient), why)
    return patient


def find_patient(session: Session, identifier: str) -> Patient:
    """The patient with this identifier, or a `RecordError` naming it."""
    patient = session.scalar(select(Patient).where(Patient.identifier == identifier))
    if patient is None:
        raise RecordError(f"no patient {identifier!r} (itbtwin patient list shows who is recorded)")
    return patient


def list_patients(session: Session) -> list[Patient]:
    """Every patient, by identifier."""
    return list(session.scalars(select(Patient).order_by(Patient.identifier)))
