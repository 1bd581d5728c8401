"""`itbtwin patient add|update|list|show`: who the clinic treats and everything recorded."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from itbtwin import store
from itbtwin.cli._app import app, console
from itbtwin.cli._audit import audit_rows, print_audit
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._pump import clock, print_pump, pump_record
from itbtwin.cli._refill import iso_date
from itbtwin.cli._store_args import By, Database, Json, Reason, actor, now, records
from itbtwin.display import format_count, format_date
from itbtwin.errors import RecordError
from itbtwin.units import parse_quantity

patient_app = typer.Typer(
    help="Patients: add, update, list, show, discharge.", no_args_is_help=True
)
app.add_typer(patient_app, name="patient")

Identifier = Annotated[str, typer.Argument(help="The patient's identifier, e.g. P001.")]

HELP = {
    "origin": "Origin of the spasticity: spinal or cerebral.",
    "diagnosis": "Diagnosis, e.g. SCI, MS, CP.",
    "injury_level": "Spinal cord injury level, e.g. T4 (boxed-warning factor).",
    "communication_difficulty": "Cannot easily report withdrawal symptoms (risk factor).",
    "prior_withdrawal": "Had withdrawal before (risk factor).",
}
"""Option help shared by `patient add` and `patient update`."""


@patient_app.command("add")
def add(
    identifier: Identifier,
    birth_date: Annotated[str, typer.Option(help="Birth date YYYY-MM-DD.")],
    weight: Annotated[str, typer.Option(help='Body weight, e.g. "75 kg".')],
    origin: Annotated[str, typer.Option(help=HELP["origin"])],
    diagnosis: Annotated[str, typer.Option(help=HELP["diagnosis"])] = "",
    injury_level: Annotated[str | None, typer.Option(help=HELP["injury_level"])] = None,
    communication_difficulty: Annotated[
        bool, typer.Option(help=HELP["communication_difficulty"])
    ] = False,
    prior_withdrawal: Annotated[bool, typer.Option(help=HELP["prior_withdrawal"])] = False,
    missed_visits: Annotated[
        int, typer.Option(help="Refill visits missed before these records (later: events).")
    ] = 0,
    reason: Reason = "",
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Record a new patient with the boxed warning's withdrawal risk factors."""
    born = iso_date(birth_date, "the birth date")
    weight_kg = parse_quantity(weight, "weight")
    with records(database) as session:
        patient = store.add_patient(
            session,
            actor(by),
            identifier=identifier,
            birth_date=born,
            weight_kg=weight_kg,
            origin=origin,
            today=now().date(),
            diagnosis=diagnosis,
            injury_level=injury_level,
            communication_difficulty=communication_difficulty,
            prior_withdrawal=prior_withdrawal,
            missed_visits=missed_visits,
            why=reason,
        )
        fields = store.patient_fields(patient)
    if json:
        print_json(fields)
        return
    console.print(f"added patient {fields['identifier']}", highlight=False)


@patient_app.command("update")
def update(
    identifier: Identifier,
    weight: Annotated[str | None, typer.Option(help='Body weight, e.g. "72 kg".')] = None,
    origin: Annotated[str | None, typer.Option(help=HELP["origin"])] = None,
    diagnosis: Annotated[str | None, typer.Option(help=HELP["diagnosis"])] = None,
    injury_level: Annotated[str | None, typer.Option(help=HELP["injury_level"])] = None,
    communication_difficulty: Annotated[
        bool | None,
        typer.Option(
            "--communication-difficulty/--no-communication-difficulty",
            help=HELP["communication_difficulty"],
        ),
    ] = None,
    prior_withdrawal: Annotated[
        bool | None,
        typer.Option("--prior-withdrawal/--no-prior-withdrawal", help=HELP["prior_withdrawal"]),
    ] = None,
    missed_visits: Annotated[
        int | None, typer.Option(help="Refill visits missed before these records (the new total).")
    ] = None,
    reason: Reason = "",
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Change a patient's weight, origin, diagnosis, injury level or risk factors (audited with
    the values before and after; fields not given stay as they are)."""
    given = {
        "weight_kg": None if weight is None else parse_quantity(weight, "weight"),
        "origin": origin,
        "diagnosis": diagnosis,
        "injury_level": injury_level,
        "communication_difficulty": communication_difficulty,
        "prior_withdrawal": prior_withdrawal,
        "missed_visits": missed_visits,
    }
    changes = {name: value for name, value in given.items() if value is not None}
    if not changes:
        raise RecordError("nothing to update: give at least one field to change (see --help)")
    with records(database) as session:
        patient = store.update_patient(
            session, actor(by), identifier, today=now().date(), why=reason, **changes
        )
        fields = store.patient_fields(patient)
    if json:
        print_json(fields)
        return
    console.print(f"updated patient {fields['identifier']}", highlight=False)


PATIENT_COLUMNS = (
    *("patient", "age (y)", "origin", "pump", "device", "dose (mcg/day)", "mcg/mL"),
    *("last fill", "last MAS"),
)
"""Headers of `patient list`, in the order of `store.patient_summary`."""


@patient_app.command("list")
def list_(database: Database = None, json: Json = False) -> None:
    """Every patient with their pump and current dose (refill windows: `itbtwin schedule`)."""
    with records(database) as session:
        rows = store.patient_summaries(session, now=now())
    if json:
        print_json({"patients": rows})
        return
    print_table(
        f"Patients ({len(rows)})",
        PATIENT_COLUMNS,
        [[_dash(clock(v) if k == "last_fill" and v else v) for k, v in r.items()] for r in rows],
    )


def _dash(value: object) -> object:
    return "-" if value is None else value


@patient_app.command("show")
def show(identifier: Identifier, database: Database = None, json: Json = False) -> None:
    """One patient: record, implanted systems, program history, refills, assessments, audit."""
    with records(database) as session:
        patient = store.find_patient(session, identifier)
        record = {
            **store.patient_fields(patient),
            "age_years": round(store.age_years(patient, now().date()), 1),
            "pumps": [pump_record(session, p) for p in patient.pumps],
            "assessments": [
                {
                    "assessed_at": a.assessed_at.isoformat(),
                    "mas": a.mas,
                    "penn_frequency": a.penn_frequency,
                    "penn_severity": a.penn_severity,
                    "adverse_effects": a.adverse_effects,
                    "assessed_by": a.assessed_by,
                }
                for a in patient.assessments
            ],
            "corrections": store.correction_rows(session, patient),
            "audit": audit_rows(store.patient_audit(session, patient)),
        }
    if json:
        print_json(record)
        return
    _print(record)


def _print(record: dict) -> None:  # type: ignore[type-arg]
    factors = [
        f"injury level {record['injury_level']}" if record["injury_level"] else "",
        "communication difficulty" if record["communication_difficulty"] else "",
        "prior withdrawal" if record["prior_withdrawal"] else "",
        format_count(record["missed_visits"], "missed visit") if record["missed_visits"] else "",
    ]
    console.print(
        f"[bold]{escape(record['identifier'])}[/]: born {format_date(record['birth_date'])} "
        f"({record['age_years']:g} y), {record['weight_kg']:g} kg, {record['origin']}"
        + (f", {record['diagnosis']}" if record["diagnosis"] else ""),
        highlight=False,
    )
    console.print("risk factors: " + (", ".join(f for f in factors if f) or "none recorded"))
    if record["discharged_at"]:
        console.print(
            f"[bold]discharged[/] {clock(record['discharged_at'])}: kept in the records, not in "
            "the schedule or the risk list"
        )
    for pump in record["pumps"]:
        print_pump(pump, audit=False)
    print_table(
        "Assessments (MAS per muscle group; Penn frequency 0-4, severity 1-3)",
        ["When", "MAS", "Penn freq.", "Penn sev.", "Adverse effects", "Assessed by"],
        [
            [
                *(clock(a["assessed_at"]), "; ".join(f"{m} {g}" for m, g in a["mas"].items())),
                *(_dash(a["penn_frequency"]), _dash(a["penn_severity"])),
                *(a["adverse_effects"], a["assessed_by"]),
            ]
            for a in record["assessments"]
        ],
    )
    if record["corrections"]:
        print_table(
            "Corrections (the originals stay in the records and the audit trail)",
            ["Entry", "Of", "Correction", "When (UTC)", "Who", "Reason"],
            [
                [
                    c["entry"],
                    clock(c["of"]),
                    c["correction"],
                    clock(c["at_utc"]),
                    c["by"],
                    c["reason"],
                ]
                for c in record["corrections"]
            ],
        )
    print_audit(record["audit"], f"Audit trail of {record['identifier']} (UTC)")
