"""The clinic's own settings: name, phone number and opening hours (one row, audited).

Reports print them in their header and the patient's education sheet tells the patient whom to
call and when (issue 16). A clinic that never set them gets `clinic.ClinicContact()`'s blanks,
which the sheet shows as a line to fill in by hand, never an invented number.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Mapped, Session, mapped_column

from itbtwin.clinic import ClinicContact
from itbtwin.errors import RecordError
from itbtwin.store._audit import audit, utc_now
from itbtwin.store._bounds import check_phone, check_text
from itbtwin.store._schema import Base

FIELDS = ("name", "phone", "hours")
"""The settings a clinic can set (`itbtwin clinic set --name --phone --hours`)."""
LONGEST = 200
"""Characters a setting may hold (the column's length)."""


class ClinicSettingsRow(Base):
    """The one row of clinic settings (migration 0003); `updated_at` is UTC."""

    __tablename__ = "clinic_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    phone: Mapped[str]
    hours: Mapped[str]
    updated_at: Mapped[datetime]


def clinic_contact(session: Session) -> ClinicContact:
    """The clinic's settings as stored, or blanks when none were set."""
    row = session.scalar(select(ClinicSettingsRow).order_by(ClinicSettingsRow.id))
    if row is None:
        return ClinicContact()
    return ClinicContact(row.name, row.phone, row.hours)


def set_clinic_contact(
    session: Session, actor: str, *, why: str = "", **changes: str | None
) -> ClinicContact:
    """Change some of the clinic's settings (`FIELDS`); the audit entry keeps each changed
    value before and after. Refuses unknown fields, over-long text and no change at all."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise RecordError(f"no clinic setting {', '.join(unknown)}; settings: {', '.join(FIELDS)}")
    given = {k: " ".join(v.split()) for k, v in changes.items() if v is not None}
    for name, value in given.items():
        if len(value) > LONGEST:
            raise RecordError(f"the clinic's {name} is longer than {LONGEST} characters")
        check_text(value, f"the clinic's {name}")
        if name == "phone" and value:
            check_phone(value, "the clinic's phone")
    before = clinic_contact(session).as_dict()
    changed = [name for name in FIELDS if name in given and given[name] != before[name]]
    if not changed:
        raise RecordError("clinic settings: nothing to change (give --name, --phone or --hours)")
    row = session.scalar(select(ClinicSettingsRow).order_by(ClinicSettingsRow.id).with_for_update())
    if row is None:
        row = ClinicSettingsRow(**before, updated_at=utc_now())
        session.add(row)
    for name in changed:
        setattr(row, name, given[name])
    row.updated_at = utc_now()
    session.flush()
    record = {
        "before": {name: before[name] for name in changed},
        "after": {name: given[name] for name in changed},
    }
    audit(session, actor, "clinic.settings", "clinic", row.id, record, why)
    return ClinicContact(row.name, row.phone, row.hours)
