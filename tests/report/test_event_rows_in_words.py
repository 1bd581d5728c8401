"""The patient report's alarms and events read as the patient page's do (h39): each kind in
words, and what a fault measured (a programmed concentration, a share of the flow) where it was
recorded."""

from __future__ import annotations

from itbtwin.report import Document
from itbtwin.report._records_report import add_records


def test_the_patient_reports_event_table_reads_kinds_in_words_and_what_each_fault_measured():
    rows = [
        {"serial": "NGP001", "at": "2026-11-20T10:00:00", "kind": "wrong_concentration"}
        | {"detail": "", "programmed_mcg_per_ml": 1000.0},
        {"serial": "NGP001", "at": "2026-11-21T10:00:00", "kind": "low_reservoir", "detail": ""},
    ]
    doc = add_records(Document("P001"), {"Alarms and events": rows})
    (table,) = doc.sections[0].blocks
    assert table.header == ("serial", "at", "kind", "detail", "programmed_mcg_per_ml")
    assert [(row[2], row[4]) for row in table.rows] == [
        ("wrong concentration", 1000.0),
        ("low reservoir", None),
    ]
