"""The pages' filters (issue 15 pt 1): recorded values as a clinician reads them, exactly."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from itbtwin.web._filters import audit_record, cell, days_left, entered, number, readable, verdict


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2025-08-28 14:00", "Thu 28 Aug 2025 14:00"),
        ("2019-07-29T15:00:00", "Mon 29 Jul 2019 15:00"),
        ("1958-05-17", "Sat 17 May 1958"),
        (datetime(2026, 12, 7, 9), "Mon 07 Dec 2026 09:00"),
        (date(2026, 12, 7), "Mon 07 Dec 2026"),
        (0.6400000001, "0.64"),
        (1234.5678, "1235"),
        ("162.75000000000003 mcg/day", "163 mcg/day"),
        (True, "yes"),
        (None, "-"),
        ("left_leg spasms", "left_leg spasms"),  # typed text is shown as written
    ],
)
def test_a_recorded_value_reads_in_the_one_format(value, shown):
    assert readable(value) == shown


def test_machine_keys_read_in_words_only_in_machine_fields():
    assert cell("missed_visit", "kind") == "missed visit"
    assert cell("hip_adductors", "adverse_effects") == "hip_adductors"
    assert cell("pass", "verdict") == '<span class="badge pass">PASS</span>'
    assert cell("initial", "verdict") == "set at implant: no change to check"


def test_an_audit_record_keeps_what_was_stored_and_reads_hours_past_two_days_in_days():
    record = audit_record(
        {"daily_dose": "162.75000000000003 mcg/day", "window_h": 72, "rule": "refill_reconciled"}
    )
    assert record == (
        '<ul class="record"><li>Daily dose: 162.75 mcg/day</li><li>Window: 3 days</li>'
        "<li>Rule: refill reconciled</li></ul>"
    )
    assert audit_record("0.09999999999999964") == "0.09999999999999964"  # text, as written
    assert audit_record(0.09999999999999964) == "0.1"


def test_times_ahead_doses_and_verdicts_read_as_in_the_cli():
    assert (days_left(36.0), days_left(84.0), days_left(-0.5), days_left(-72.0)) == (
        "in 36 h",
        "in 3.5 days",
        "now",
        "3 days ago",  # issue 15: an alarm sounding for days is not "now (passed)"
    )
    assert days_left(24 * 3.79) == "in 3.8 days"  # as days of drug left are rounded
    assert number(1.2e3, "mcg") == "1200 mcg" and number(None) == "-"
    assert entered(162.8, "mcg/day") == "162.8 mcg/day"
    assert verdict("BLOCK") == '<span class="badge block">BLOCK</span>'
    with pytest.raises(ValueError, match="not a check verdict"):
        verdict("initial")
