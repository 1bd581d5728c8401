"""The audit trail: every change made through the store says who, when (UTC), what and why.

Entries are added in the same transaction as the change they describe, so a change and its audit
entry are stored together or not at all. `actor` defaults to ``ITBTWIN_USER`` or the login name.
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.store._bounds import check_text
from itbtwin.store._schema import Assessment, AuditEntry, Patient, Pump, RefillRecord


def default_actor() -> str:
    """Who is working: ``ITBTWIN_USER``, else the operating-system login name. A variable set but
    empty is refused, as an empty ``--by`` is: it fell back to the login name without a word."""
    name = os.environ.get("ITBTWIN_USER")
    if name is not None and not name.strip():
        raise RecordError(
            "ITBTWIN_USER is set but empty: set it to who is working, or unset it to use the "
            "login name"
        )
    return name or getpass.getuser()


def utc_now() -> datetime:
    """Now in UTC, without tzinfo (how the audit trail stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def audit(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    what: dict[str, Any],
    why: str = "",
) -> AuditEntry:
    """Add one audit entry for a change made in this transaction."""
    if not actor.strip():
        raise RecordError("every change needs who made it (--by or ITBTWIN_USER)")
    check_text(actor, "who made the change (--by or ITBTWIN_USER)")  # no escape code (issue 17)
    if len(why) > (longest := AuditEntry.__table__.c.why.type.length):  # its column's length
        raise RecordError(f"the reason is longer than {longest} characters ({len(why):,})")
    entry = AuditEntry(
        at=utc_now(),
        actor=actor.strip(),
        action=action,
        entity=entity,
        entity_id=entity_id,
        what=what,
        why=why,
    )
    session.add(entry)
    return entry


def audit_trail(session: Session, entity: str | None = None, entity_id: int | None = None):  # type: ignore[no-untyped-def]
    """Audit entries, oldest first, optionally for one entity."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return list(session.scalars(query))


def _about(session: Session, ids: dict[str, set[int]]) -> list[AuditEntry]:
    found = [and_(AuditEntry.entity == e, AuditEntry.entity_id.in_(i)) for e, i in ids.items() if i]
    query = select(AuditEntry).where(or_(*found)).order_by(AuditEntry.id)
    return list(session.scalars(query)) if found else []


def _pump_ids(session: Session, pumps: list[Pump]) -> dict[str, set[int]]:
    """Pumps and every refill of theirs, corrected ones too (their audit entries stay shown)."""
    ids = {p.id for p in pumps}
    refills = select(RefillRecord.id).where(RefillRecord.pump_id.in_(ids))
    return {"pump": ids, "refill": set(session.scalars(refills))}


def pump_audit(session: Session, pump: Pump) -> list[AuditEntry]:
    """Audit entries about a pump: implant, revisions, programs, events, refills; oldest first."""
    return _about(session, _pump_ids(session, [pump]))


def patient_audit(session: Session, patient: Patient) -> list[AuditEntry]:
    """Audit entries about a patient, their assessments and every pump they had, oldest first
    (entries about corrected records included: the audit shows the original and the change)."""
    assessments = select(Assessment.id).where(Assessment.patient_id == patient.id)
    ids = {"patient": {patient.id}, "assessment": set(session.scalars(assessments))}
    return _about(session, ids | _pump_ids(session, list(patient.pumps)))
