"""`itbtwin audit`: the append-only audit trail, who changed what, when (UTC) and why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer

from itbtwin import store
from itbtwin.audit_labels import audit_action, audit_text
from itbtwin.cli._app import app
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._store_args import Database, Json, records
from itbtwin.display import format_datetime
from itbtwin.errors import RecordError


def audit_rows(entries: Sequence[store.AuditEntry]) -> list[dict[str, Any]]:
    """Audit entries as plain data; `at` is UTC (ISO text with a Z)."""
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(timespec="seconds") + "Z",
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "what": e.what,
            "why": e.why,
        }
        for e in entries
    ]


def print_audit(rows: list[dict[str, Any]], title: str) -> None:
    """The trail as a table: when (in UTC, said in each cell), who, action and what (in words,
    `audit_labels.audit_fields` as on the web's audit view; `--json` keeps the keys), why."""
    print_table(
        title,
        ["#", "When", "Who", "Action", "What", "Why"],
        [
            [
                *(r["id"], format_datetime(r["at"], zone=True), r["actor"]),
                audit_action(r["action"]),
                *(audit_text(r["what"]), r["why"]),
            ]
            for r in rows
        ],
    )


@app.command("audit")
def audit(
    patient: Annotated[
        str | None, typer.Option(help="Only entries about this patient (and their pumps).")
    ] = None,
    serial: Annotated[str | None, typer.Option(help="Only entries about this pump.")] = None,
    database: Database = None,
    json: Json = False,
) -> None:
    """The audit trail, oldest first: every change made to the records, by whom and why."""
    if patient is not None and serial is not None:
        raise RecordError("give --patient or --serial, not both")
    with records(database) as session:
        if patient is not None:
            entries = store.patient_audit(session, store.find_patient(session, patient))
            title = f"Audit trail of patient {patient} (UTC)"
        elif serial is not None:
            entries = store.pump_audit(session, store.find_pump(session, serial))
            title = f"Audit trail of pump {serial} (UTC)"
        else:
            entries = store.audit_trail(session)
            title = "Audit trail (UTC)"
        rows = audit_rows(entries)
    if json:
        print_json({"entries": rows})
        return
    print_audit(rows, title)
