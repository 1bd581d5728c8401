"""Issue 12, point 8: the records commands show one date format and badges only on checks;
`--json` keeps ISO times and machine keys."""

from __future__ import annotations

import re

import pytest

ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
REFILL = (
    'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
    '--concentration "500 mcg/mL" --at "2026-11-12 10:00"'
)


@pytest.mark.parametrize(
    "command", ["patient show P001", "pump show NGP001", "patient list", "audit"]
)
def test_issue_12_records_read_in_one_date_format(clinic, command):
    clinic.run(REFILL)
    text = clinic.run(command).stdout
    assert not ISO_MOMENT.search(text), ISO_MOMENT.search(text)
    if "show" in command:  # narrow tables wrap the others' dates across lines
        assert re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d [A-Z][a-z]{2} 20\d\d \d\d:\d\d", text)


def test_a_refill_and_a_program_change_show_their_check_as_a_badge_and_when_in_words(clinic):
    refill = clinic.run(REFILL).stdout
    assert "at Thu 12 Nov 2026 10:00 recorded" in refill
    assert "verdict: PASS" in refill
    change = clinic.run('program set NGP001 --daily-dose "275 mcg/day" --reason r').stdout
    assert "250 → 275 mcg/day: PASS" in change
    assert clinic.data("pump show NGP001")["programs"][-1]["verdict"] == "pass"  # machine value


def test_json_keeps_iso_times(clinic):
    out = clinic.data(REFILL)
    assert out["performed_at"] == "2026-11-12T10:00:00"
