"""A patient's recorded tables as report sections, and the report of a patient with no pump.

The patient report (`patient_report`) adds these sections after the twin's; a patient with no
pump implanted at the report's time (explanted, or never implanted) has nothing to replay, so
their report is the records alone (history, assessments, audit) and says there is no pump then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from itbtwin.display import format_datetime, human_label, in_words, program_check
from itbtwin.pump import find_device
from itbtwin.record_words import (
    MACHINE_KEYS,
    is_percent,
    is_program,
    key_like,
    percent_text,
    program_words,
)
from itbtwin.report._document import Document, Section, columns, itbtwin_version


def add_records(
    doc: Document,
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    patient: Mapping[str, Any] | None = None,
) -> Document:
    """`doc` with the patient (label → value) first and one section per recorded table
    (title → rows; columns in first-seen order), "No ... recorded." for an empty one."""
    if patient:
        rows = [(human_label(key), value) for key, value in patient.items()]
        doc.sections.insert(0, Section("Patient").table(("", "value"), rows))
    for name, rows in records.items():
        section = doc.section(name)
        if rows:
            keys = columns(rows)
            section.table(
                [_header(key) for key in keys], [[_cell(row, key) for key in keys] for row in rows]
            )
        else:
            section.paragraph(f"No {name.lower()} recorded.")
    return doc


def _header(key: str) -> str:
    """A records table's column: its key (labelled by the writers, `display.human_label`), a
    percentage's label without "(%)", since its cells carry the sign ("+2.7%")."""
    return human_label(key).removesuffix(" (%)") if key.endswith("_pct") else key


def _cell(row: Mapping[str, Any], key: str) -> Any:
    """A record's value for the report: a first program version's check in words, a program as
    its steps and doses (`program_words`), a percentage with its sign, a machine key in words
    ("low_reservoir" -> "low reservoir"), as the patient page shows them."""
    value = row.get(key)
    if key == "verdict" and isinstance(value, str):
        return program_check(value)
    if is_program(value):
        return program_words(value)
    if is_percent(key, value):
        return percent_text(key, value)
    if key in MACHINE_KEYS and isinstance(value, str) and key_like(value):
        return in_words(value)
    return value


def no_pump_now(pumps: Sequence[Mapping[str, Any]], at: datetime) -> str:
    """Why a patient has no pump at `at`, from their pump rows (`store.pump_fields`)."""
    when = format_datetime(at)
    if not pumps:
        return f"No pump has been implanted (as of {when}): there is no pump to replay."
    last = pumps[-1]
    name = f"pump {last['serial']}, {find_device(last['device']).name},"
    if last["explanted_at"] and datetime.fromisoformat(last["explanted_at"]) <= at:
        explanted = format_datetime(last["explanted_at"])
        return f"No pump is implanted on {when}: {name} was explanted on {explanted}."
    implanted = format_datetime(last["implanted_at"])
    return f"No pump is implanted yet on {when}: {name} is implanted on {implanted}."


def records_report(
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    patient: Mapping[str, Any],
    pumps: Sequence[Mapping[str, Any]],
    at: datetime,
    title: str,
    generated: datetime | None = None,
) -> Document:
    """The report of a patient with no pump at `at`: the situation, their pumps and the records
    (`records`: title → rows, as `patient_report` takes them)."""
    doc = Document(
        title,
        "From the clinic's records only: no pump is implanted, so there is no twin to replay.",
        {"generated": generated or datetime.now(UTC), "itbtwin": itbtwin_version()},
    )
    doc.section("Pump").paragraph(no_pump_now(pumps, at))
    named = [{**p, "device": find_device(p["device"]).name} for p in pumps]  # not the key
    return add_records(doc, {"Pumps": named, **records} if pumps else records, patient)
