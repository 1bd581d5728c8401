"""A pump's first program version reads as the program set at implant, not "initial" (issue 17).

The safety check judges a change; the implant's program (version 1) changes nothing, so its
check column says so in a clinician's words on every table (`pump show`, the web's record
tables, the patient report), while `--json` keeps the stored machine verdict "initial".
"""

from __future__ import annotations

from itbtwin.display import FIRST_PROGRAM_CHECK
from itbtwin.report import Document
from itbtwin.report._records_report import add_records

WORDS = "set at implant: no change to check"


def test_issue_17_pump_show_names_version_1_as_the_program_set_at_implant(clinic, wide_console):
    text = clinic.run("pump show NGP001").stdout
    assert WORDS in text and "initial" not in text
    assert clinic.data("pump show NGP001")["programs"][0]["verdict"] == "initial"


def test_the_patient_report_names_version_1_as_the_program_set_at_implant():
    rows = [{"version": 1, "verdict": "initial"}, {"version": 2, "verdict": "pass"}]
    doc = add_records(Document("P001"), {"Programs": rows})
    (table,) = doc.sections[0].blocks
    assert [row[1] for row in table.rows] == [FIRST_PROGRAM_CHECK, "pass"]
    assert FIRST_PROGRAM_CHECK == WORDS
