"""`pump show` and `patient show` head their tables as the audit table beside them does ("When",
"Who"; not "at", "kind", "by"), and a delivery error reads "+2.7%" there, in `itbtwin audit`
and on the web alike, not "Delivery error (%): 2.6667" (h41). NGP001's refill on Thu 12 Nov:
4.6 mL withdrawn of 5 mL expected, 15.4 mL delivered of 15 programmed, +2.667%."""

from __future__ import annotations

import re

import pytest

from itbtwin.cli import _app

REFILL = (
    'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
    '--concentration "500 mcg/mL" --at "2026-11-12 10:00" --reason routine'
)


@pytest.fixture
def very_wide(monkeypatch):
    """A console wide enough that no header or cell wraps."""
    monkeypatch.setattr(_app.console, "width", 400)


def _headers(text: str, title: str) -> list[str]:
    """The column headers of the table under `title`."""
    after = text[text.index(title) :].splitlines()
    line = next(row for row in after if "┃" in row)
    return [cell.strip() for cell in line.split("┃") if cell.strip()]


def test_pump_show_heads_its_tables_in_words_with_capitals(clinic, very_wide):
    clinic.run(REFILL)
    clinic.run('pump event NGP001 --kind low_reservoir --at "2026-11-13 09:00"')
    text = clinic.run("pump show NGP001").stdout
    assert _headers(text, "Program versions") == [
        *("Version", "From", "mcg/day", "mcg/mL", "Check", "Override reason", "Entered by"),
    ]
    assert _headers(text, "Fills and refills") == [
        *("When", "Withdrawn", "Expected", "Injected", "Measured", "mcg/mL"),
        *("Delivery error", "Pocket fill"),
    ]
    assert _headers(text, "Alarms and events") == ["When", "Event", "Detail", "Found"]
    assert _headers(text, "Audit trail")[:3] == ["#", "When", "Who"]
    refill = re.search(r"│ Thu 12 Nov 2026 10:00 │([^\n]*)", text).group(1)
    assert re.search(r"│ \+2\.7% +│", refill), refill


def test_patient_show_heads_its_assessments_as_the_other_tables(clinic, very_wide):
    clinic.run('assess P001 --mas "hip adductors L=2" --at "2026-11-14 10:00"')
    text = clinic.run("patient show P001").stdout
    assert _headers(text, "Assessments") == [
        *("When", "MAS", "Penn freq.", "Penn sev.", "Adverse effects", "Assessed by"),
    ]


def test_the_audit_trail_signs_a_delivery_error_as_every_face_does(clinic, very_wide):
    clinic.run(REFILL)
    text = clinic.run("audit --serial NGP001").stdout
    assert "Delivery error: +2.7%" in text
    assert "2.6667" not in text and "Delivery error (%)" not in text
    [refill] = [e for e in clinic.audit() if e["action"] == "refill.record"]
    assert refill["what"]["error_pct"] == pytest.approx(2.6666667)  # --json keeps the number
