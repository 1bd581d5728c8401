"""Report tables are written for a clinician (issue 16 point 2, issue 12 point 8): human headers
and row labels, the one date format (ISO text from the records included), days rather than hours
past 48 h, and no long decimals or scientific notation."""

from __future__ import annotations

import pytest

from itbtwin.report import Document, Table, patient_report, render_html
from itbtwin.report._document import running_header
from itbtwin.report._html import cell_text


def _table(doc: Document, section: str, title: str = "") -> Table:
    blocks = next(s for s in doc.sections if s.title == section).blocks
    return next(b for b in blocks if isinstance(b, Table) and b.title == title)


def _row(table: Table, label: str) -> tuple:
    return next(row for row in table.rows if row[0] == label)


def test_signal_times_past_48_hours_are_in_days(missed_refill_report, missed_refill):
    _, outcome = missed_refill
    hours = outcome.summary["withdrawal_h"]
    assert hours > 48
    _, value, unit, _ = _row(_table(missed_refill_report, "Outcome"), "withdrawal signal")
    assert (value, unit) == (pytest.approx(hours / 24), "days")


def test_drug_stability_is_180_days_not_4320_hours(missed_refill_report):
    table = _table(missed_refill_report, "Model and device numbers", "Pump and catheter")
    _, value, unit, *_ = _row(table, "drug stability in the reservoir")
    assert (value, unit) == (180, "days")


def test_age_and_weight_read_without_long_decimals(missed_refill_report):
    _, text = _row(_table(missed_refill_report, "Scenario"), "patient")
    assert text == "75 kg, 42 years, spinal"


def test_record_keys_and_iso_dates_read_as_words_and_the_one_date_format(missed_refill):
    records = {"Refills": [{"performed_at": "2026-11-27 14:00", "injected_ml": 40.0}]}
    doc = patient_report(*missed_refill, records, patient={"birth_date": "1962-02-14"})
    page = render_html(doc)
    assert "<th>Performed</th><th>Injected (mL)</th>" in page
    assert "<td>Fri 27 Nov 2026 14:00</td>" in page
    assert "<td>Birth date</td><td>Wed 14 Feb 1962</td>" in page
    assert "performed_at" not in page and "birth_date" not in page


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-12-07", "Mon 07 Dec 2026"),
        ("2026-12-07T09:30:00", "Mon 07 Dec 2026 09:30"),
        (1234.5678, "1235"),
        (0.000123, "0.000123"),
        ("DEMO-002", "DEMO-002"),
        (None, "-"),
    ],
)
def test_a_cell_shows_dates_in_the_one_format_and_plain_numbers(value, shown):
    assert cell_text(value) == shown


def test_the_running_header_names_the_report_its_clinic_and_its_date():
    patient = Document("Patient report: P001", "", {"clinic": "North ITB, phone 0100"})
    patient.metadata["generated"] = "2026-12-07"
    assert running_header(patient) == "Patient report: P001 · North ITB, phone 0100 · 2026-12-07"
    ward = Document("Clinic report: North ITB", "", {"clinic": "North ITB, phone 0100"})
    assert running_header(ward) == "Clinic report: North ITB"
