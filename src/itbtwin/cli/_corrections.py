"""Corrections on the command line, the way clinics make them: `itbtwin refill amend|void`,
`itbtwin assessment amend|void`, `itbtwin pump void-event`, `itbtwin program void`, `itbtwin patient
discharge`, `itbtwin pump explant`.

Nothing is deleted: the original entry stays, the correction is a new row linked to it and an audit
entry, written together in one transaction (`store.void_entry`, `store.amend_refill`...). An entry
is named by what the clinic calls it: its pump (or patient) and the time it was recorded at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from itbtwin import store
from itbtwin.cli._app import app, console
from itbtwin.cli._assess import mas_grades
from itbtwin.cli._output import print_json
from itbtwin.cli._patient import patient_app
from itbtwin.cli._program import program_app
from itbtwin.cli._pump import pump_app
from itbtwin.cli._refill import refill_app
from itbtwin.cli._refill_record import show_check
from itbtwin.cli._store_args import By, Database, Json, actor, now, records, when
from itbtwin.display import format_datetime, human_label
from itbtwin.units import parse_quantity

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

assessment_app = typer.Typer(help="Corrections of recorded assessments.", no_args_is_help=True)
app.add_typer(assessment_app, name="assessment")

Serial = Annotated[str, typer.Argument(help="The pump's serial number.")]
Patient = Annotated[str, typer.Argument(help="The patient's identifier.")]
Entry = Annotated[
    str,
    typer.Option(
        "--at",
        help='When the entry was recorded, clinic time "YYYY-MM-DD HH:MM".',
        show_default=False,
    ),
]
Why = Annotated[str, typer.Option("--reason", help="Why (kept with the correction and audited).")]
Withdrawn = Annotated[
    str | None,
    typer.Option(help='Corrected residual withdrawn, e.g. "3.6 mL".', show_default=False),
]
Expected = Annotated[
    str | None,
    typer.Option(help='Corrected residual the programmer calculated, "5 mL".', show_default=False),
]
Injected = Annotated[
    str | None, typer.Option(help='Corrected volume injected, e.g. "20 mL".', show_default=False)
]
Measured = Annotated[
    str | None,
    typer.Option(
        help='Corrected reservoir volume measured after it, "19.9 mL".', show_default=False
    ),
]
Concentration = Annotated[
    str | None,
    typer.Option(help='Corrected refill concentration, "500 mcg/mL".', show_default=False),
]
NewAt = Annotated[
    str | None, typer.Option(help='The corrected time, "YYYY-MM-DD HH:MM".', show_default=False)
]
AtOrNow = Annotated[
    str | None,
    typer.Option("--at", help='When, clinic time "YYYY-MM-DD HH:MM" (default: now).'),
]


def _shown(at: str) -> str:
    """The entry's time as the clinic reads it ("Thu 01 Oct 2026 10:00"), as typed with --at."""
    return format_datetime(when(at, "--at"))


def _done(payload: dict[str, Any], json: bool, text: str) -> None:
    if json:
        print_json(payload)
    else:
        console.print(text, highlight=False)


Found = tuple[Any, dict[str, Any], str]
"""An entry found in the records, its JSON payload and its name for a clinician."""


def _void(
    find: Callable[[Session], Found], database: str | None, by: str | None, why: str, json: bool
) -> None:
    """Void the entry `find` finds, with its correction and audit row in one transaction, and
    say so ("<name> voided (<why>)", or the payload with the correction as JSON)."""
    with records(database) as session:
        entry, payload, name = find(session)
        correction = store.void_entry(session, actor(by), entry, why=why)
        payload |= {"voided": True, "correction": correction.id, "reason": correction.reason}
    _done(payload, json, f"{name} voided ({why})")


@refill_app.command("void")
def refill_void(
    serial: Serial,
    at: Entry,
    reason: Why,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Void a refill recorded in error: it stays in the records, marked, and counts nowhere."""

    def refill(session: Session) -> Found:
        found = store.find_refill(store.find_pump(session, serial), when(at, "--at"))
        payload = {"serial": serial, "entry": "refill", "at": at}
        return found, payload, f"refill of pump {serial} at {_shown(at)}"

    _void(refill, database, by, reason, json)


@refill_app.command("amend")
def refill_amend(
    serial: Serial,
    at: Entry,
    reason: Why,
    withdrawn: Withdrawn = None,
    expected: Expected = None,
    injected: Injected = None,
    measured: Measured = None,
    concentration: Concentration = None,
    product: Annotated[str | None, typer.Option(help="Product, e.g. Lioresal.")] = None,
    lot: Annotated[str | None, typer.Option(help="Lot number.")] = None,
    new_at: NewAt = None,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Amend a refill: give only what was wrong (with units); it is reconciled again and stored
    as a new entry linked to the original, which stays."""
    volumes = {"withdrawn_ml": withdrawn, "expected_ml": expected, "injected_ml": injected}
    changes: dict[str, Any] = {
        k: parse_quantity(v, "volume") for k, v in volumes.items() if v is not None
    }
    if measured is not None:
        changes["measured_ml"] = parse_quantity(measured, "volume")
    if concentration is not None:
        changes["concentration_mcg_per_ml"] = parse_quantity(concentration, "concentration")
    if product is not None:
        changes["product"] = product
    with records(database) as session:
        pump = store.find_pump(session, serial)
        original = store.find_refill(pump, when(at, "--at"))
        record, check = store.amend_refill(
            session,
            actor(by),
            pump,
            original,
            why=reason,
            now=now(),
            performed_at=None if new_at is None else when(new_at, "--new-at", offset=True),
            lot=lot,
            **changes,
        )
        performed = record.performed_at
    payload = {"serial": serial, "amended": at, "performed_at": performed.isoformat()}
    if json:
        print_json(payload | check.as_dict())
        return
    moved = "" if performed == when(at, "--at") else f"; now at {format_datetime(performed)}"
    console.print(f"refill of pump {serial} at {_shown(at)} amended{moved}", highlight=False)
    show_check(check)


@assessment_app.command("void")
def assessment_void(
    patient: Patient,
    at: Entry,
    reason: Why,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Void an assessment recorded in error (e.g. for the wrong patient); record the right one
    with `itbtwin assess`."""

    def assessment(session: Session) -> Found:
        found = store.find_assessment(store.find_patient(session, patient), when(at, "--at"))
        payload = {"patient": patient, "entry": "assessment", "at": at}
        return found, payload, f"assessment of {patient} at {_shown(at)}"

    _void(assessment, database, by, reason, json)


@assessment_app.command("amend")
def assessment_amend(
    patient: Patient,
    at: Entry,
    reason: Why,
    mas: Annotated[
        list[str] | None,
        typer.Option(
            help='The MAS grades as they should read, "hip adductors L=1+" (repeatable; '
            "they replace all the entry's grades)."
        ),
    ] = None,
    penn_frequency: Annotated[int | None, typer.Option(help="Penn spasm frequency 0-4.")] = None,
    penn_severity: Annotated[int | None, typer.Option(help="Penn spasm severity 1-3.")] = None,
    adverse: Annotated[str | None, typer.Option(help="Adverse effects seen.")] = None,
    new_at: NewAt = None,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Amend an assessment: give only what was wrong; it is checked again and stored as a new
    entry linked to the original, which stays."""
    changes: dict[str, Any] = {} if mas is None else {"mas": mas_grades(mas)}
    given = {"penn_frequency": penn_frequency, "penn_severity": penn_severity}
    changes |= {k: v for k, v in given.items() if v is not None}
    if adverse is not None:
        changes["adverse_effects"] = adverse
    with records(database) as session:
        found = store.find_patient(session, patient)
        record = store.amend_assessment(
            session,
            actor(by),
            found,
            store.find_assessment(found, when(at, "--at")),
            why=reason,
            now=now(),
            assessed_at=None if new_at is None else when(new_at, "--new-at", offset=True),
            **changes,
        )
        payload = {
            "patient": patient,
            "amended": at,
            "assessed_at": record.assessed_at.isoformat(),
            "mas": record.mas,
            "penn_frequency": record.penn_frequency,
            "penn_severity": record.penn_severity,
            "adverse_effects": record.adverse_effects,
        }
    _done(payload, json, f"assessment of {patient} at {_shown(at)} amended ({reason})")


@pump_app.command("void-event")
def event_void(
    serial: Serial,
    at: Entry,
    reason: Why,
    kind: Annotated[
        str | None, typer.Option(help="The event's kind, when several share --at.")
    ] = None,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Void an alarm or fault recorded in error: it no longer counts for the risk or the twin."""

    def event(session: Session) -> Found:
        found = store.find_event(store.find_pump(session, serial), when(at, "--at"), kind)
        payload = {"serial": serial, "entry": "event", "at": at, "kind": found.kind}
        return found, payload, f"{human_label(found.kind)} of pump {serial} at {_shown(at)}"

    _void(event, database, by, reason, json)


@program_app.command("void")
def program_void(
    serial: Serial,
    version: Annotated[int, typer.Option(help="The program version voided.", show_default=False)],
    reason: Why,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Void a program version entered in error: the version before it is in effect again."""

    def program_version(session: Session) -> Found:
        found = store.find_version(store.find_pump(session, serial), version)
        payload = {"serial": serial, "entry": "program_version", "version": version}
        return found, payload, f"program version {version} of pump {serial}"

    _void(program_version, database, by, reason, json)


@patient_app.command("discharge")
def patient_discharge(
    patient: Patient,
    reason: Why,
    at: AtOrNow = None,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Discharge a patient from the clinic: kept with every record, left out of the refill
    schedule and the risk list."""
    with records(database) as session:
        found = store.discharge_patient(
            session,
            actor(by),
            store.find_patient(session, patient, lock=True),
            at=when(at, "--at", offset=True),  # the repeated hour needs its offset (issue 17)
            now=now(),
            why=reason,
        )
        moment = found.discharged_at
        payload = {"patient": patient, "discharged_at": moment.isoformat()}  # type: ignore[union-attr]
    _done(payload, json, f"patient {patient} discharged on {format_datetime(moment)} ({reason})")


@pump_app.command("explant")
def pump_explant(
    serial: Serial,
    reason: Why,
    at: AtOrNow = None,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Record a pump explanted without a replacement (`pump implant` ends the old one itself)."""
    with records(database) as session:
        pump = store.explant(
            session,
            actor(by),
            store.find_pump(session, serial),
            explanted_at=when(at, "--at", offset=True),
            now=now(),
            why=reason,
        )
        moment = pump.explanted_at
        payload = {"serial": serial, "explanted_at": moment.isoformat()}  # type: ignore[union-attr]
    _done(payload, json, f"pump {serial} explanted on {format_datetime(moment)} ({reason})")
