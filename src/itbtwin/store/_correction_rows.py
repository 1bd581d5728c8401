"""The corrections of a patient's entries as a clinician reads them (`patient show`, the patient
report), apart from `_corrections`, which makes them: reading them needs none of the clinic rules
that an amendment checks again (the refill reconciliation, the MAS scale: NumPy; issue 13)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.store._schema import (
    Assessment,
    Correction,
    EventRecord,
    Patient,
    ProgramVersion,
    RefillRecord,
)

_TIME = {
    "refill": "performed_at",
    "assessment": "assessed_at",
    "event": "occurred_at",
    "program_version": "effective_at",
}
"""Table → the column that dates its entries (how a clinician names an entry: by its time)."""


def correction_rows(session: Session, patient: Patient) -> list[dict[str, Any]]:
    """Every correction of the patient's entries, oldest first: what, which entry (its time),
    amended or voided, by whom, when (UTC) and why."""
    pumps = [p.id for p in patient.pumps]
    tables = {
        "refill": (RefillRecord, RefillRecord.pump_id.in_(pumps)),
        "event": (EventRecord, EventRecord.pump_id.in_(pumps)),
        "program_version": (ProgramVersion, ProgramVersion.pump_id.in_(pumps)),
        "assessment": (Assessment, Assessment.patient_id == patient.id),
    }
    rows: list[dict[str, Any]] = []
    order: list[int] = []
    for name, (table, mine) in tables.items():
        ids = select(table.id).where(mine)
        query = select(Correction).where(Correction.entity == name, Correction.original_id.in_(ids))
        for c in session.scalars(query):
            original = session.get(table, c.original_id)
            rows.append(
                {
                    "entry": name.replace("_", " "),
                    "of": getattr(original, _TIME[name]).strftime("%Y-%m-%d %H:%M"),
                    "correction": "amended" if c.kind == "amend" else "voided",
                    "at_utc": c.corrected_at.strftime("%Y-%m-%d %H:%M"),
                    "by": c.corrected_by,
                    "reason": c.reason,
                },
            )
            order.append(c.id)
    return [row for _, row in sorted(zip(order, rows, strict=True), key=lambda pair: pair[0])]
