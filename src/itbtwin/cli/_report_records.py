"""`itbtwin report patient ID` and `itbtwin report clinic`: reports from the clinic's records.

The patient report replays the records (`store.history_scenario`) through the twin from the
fill before the period to the coming days; the clinic report is `store.clinic_overview` (the
rules of `itbtwin schedule`) with the calendar, the risk list and a row per patient.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from itbtwin import store
from itbtwin.cli._refill import OPEN_DAYS, Holiday, Open, whole_days, window_options
from itbtwin.cli._report import Json, Out, Pdf, check_targets, report_app, write_report
from itbtwin.cli._store_args import Database, records, when
from itbtwin.display import format_datetime

if TYPE_CHECKING:  # the records, the twin and the figures load when a report is written
    from sqlalchemy.orm import Session

    from itbtwin.clinic import ClinicContact
    from itbtwin.report import Document

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        "--at",  # as risk, refill plan and check-program take it
        help='Clinic time the report is for, "YYYY-MM-DD HH:MM" (default: now); in the hour '
        'repeated when the clocks go back, with its UTC offset: "2026-11-01 01:30-04:00".',
    ),
]


@report_app.command("patient")
def report_patient(
    identifier: Annotated[str, typer.Argument(help="The patient's identifier.")],
    since: Annotated[str, typer.Option(help='History shown, back from --as-of, e.g. "90 day".')] = (
        "60 day"
    ),
    ahead: Annotated[str, typer.Option(help='Forecast shown after --as-of, e.g. "14 day".')] = (
        "14 day"
    ),
    as_of: AsOf = None,
    out: Out = None,
    pdf: Pdf = None,
    database: Database = None,
    json: Json = False,
) -> None:
    """A patient's twin (reservoir, delivered dose, CSF, MAS with events) and their records."""
    from itbtwin.store._assessments import patient_wall_time

    now = when(as_of, "--as-of", offset=True)
    back, forward = whole_days(since, "--since"), whole_days(ahead, "--ahead")
    html = out or default_report_path(identifier)
    check_targets(html, pdf)
    with records(database) as session:
        if as_of is not None:  # in the zone of the patient's pump, as an assessment (issue 17)
            patient = store.find_patient(session, identifier)
            now = patient_wall_time(patient, now, f"--as-of for patient {identifier}")
        doc = patient_document(session, identifier, now, back_days=back, ahead_days=forward)
        contact = store.clinic_contact(session)
    if contact.name or contact.phone:
        doc.metadata = {"clinic": clinic_line(contact), **doc.metadata}
    write_report(doc, html, pdf, as_json=json)


def default_report_path(identifier: str) -> Path:
    """``ID-report.html`` in the current folder: the identifier only names the file, so one
    such as ``../../x`` or ``/etc/x`` never decides where it goes (issue 17 point 3)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", identifier).strip("_") or "patient"
    return Path(f"{name}-report.html")


def patient_document(
    session: Session, identifier: str, now: datetime, *, back_days: int, ahead_days: int
) -> Document:
    """The patient report at `now`: the records replayed through the twin from the fill before
    `back_days` to `ahead_days` ahead, with the recorded facts beside the twin's findings and the
    observed scores on its MAS and Penn figure. A patient with no pump implanted at `now`
    (explanted, or never implanted) gets the report of their records, saying so."""
    from itbtwin.report import patient_report, records_report
    from itbtwin.sim import run_twin

    patient = store.find_patient(session, identifier)
    tables = store.patient_tables(session, patient)
    records = store.record_sections(tables)
    title = f"Patient report: {identifier} (as of {format_datetime(now)})"
    pump = store.pump_in_service(patient, now)
    if pump is None:
        return records_report(
            records, patient=tables["patient"], pumps=tables["pumps"], at=now, title=title
        )
    until = now + timedelta(days=ahead_days)
    scenario = store.history_scenario(
        pump, since=now - timedelta(days=back_days), until=until, scores=True
    )
    start = scenario.document["scenario"]["start"]
    return patient_report(
        scenario,
        run_twin(scenario),
        records,
        patient=tables["patient"],
        title=title,
        facts=[f.reason() for f in store.recorded_facts(pump, start, until)],
        observed=store.observed_scores(patient, start, until, pump.time_zone),
    )


def clinic_line(contact: ClinicContact) -> str:
    """The clinic as one line of a report's header: name, phone and hours that are set."""
    phone = f"phone {contact.phone}" if contact.phone else ""
    return ", ".join(part for part in (contact.name, phone, contact.hours) if part)


@report_app.command("clinic")
def report_clinic(
    name: Annotated[
        str | None,
        typer.Option(help="The clinic's name, for the title (default: itbtwin clinic set's name)."),
    ] = None,
    days: Annotated[int, typer.Option(help="Days of refills shown on the calendar.")] = 14,
    open_: Open = OPEN_DAYS,
    holiday: Holiday = None,
    as_of: AsOf = None,
    out: Out = None,
    pdf: Pdf = None,
    database: Database = None,
    json: Json = False,
) -> None:
    """The clinic's refill calendar for the coming days, the patients at risk, every patient."""
    from itbtwin.report import clinic_report
    from itbtwin.report._calendar import check_calendar_days
    from itbtwin.store._as_of import clinic_time

    now = when(as_of, "--as-of", offset=True)
    options = window_options(open_=open_, holiday=holiday)
    html = out or Path("clinic-report.html")
    check_targets(html, pdf)
    check_calendar_days(days)
    with records(database) as session:
        if as_of is not None:  # in every implanted pump's zone (issue 17)
            now = clinic_time(session, now, "--as-of")
        overview = store.clinic_overview(session, now=now, options=options)
        patients = store.patient_summaries(session, now=now, entries=overview.entries)
        contact = store.clinic_contact(session)
    contact = replace(contact, name=name or contact.name or "ITB clinic")
    doc = clinic_report(
        contact.name,
        overview.entries,
        overview.risks,
        patients,
        now.date(),
        days=days,
        options=options,
    )
    doc.metadata["clinic"] = clinic_line(contact)
    write_report(doc, html, pdf, as_json=json)
