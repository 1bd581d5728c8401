"""A stored record in a clinician's words (`record_words`, `audit_labels.audit_fields`): the one
formatter the web's audit view and the CLI's `itbtwin audit` share (h39)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from itbtwin.audit_labels import audit_fields, audit_text
from itbtwin.record_words import program_words, reason_words
from itbtwin.web._filters import audit_record

PERIODIC = {
    "mode": "periodic",
    "concentration": "500.0 mcg/mL",
    "daily_dose": "100.0 mcg/day",
    "demand": {"dose": "25.0 mcg", "duration": "0.25 h", "lockout": "3.0 h", "max_per_day": 4},
    "bolus": [{"at": "08:00", "dose": "25.0 mcg", "duration": "1.0 h", "days": ["mon", "tue"]}],
}
"""A canonical periodic program document (`sim.read_program_document` writes these)."""


def test_a_periodic_program_reads_with_its_basal_dose_boluses_and_patient_boluses():
    assert program_words(PERIODIC) == (
        "Periodic, 100 mcg/day at 500 mcg/mL; bolus 25 mcg at 08:00 over 1 h (Mon, Tue only); "
        "patient bolus 25 mcg over 0.25 h, lockout 3 h, at most 4 a day"
    )


def test_a_flex_step_reads_with_its_start_time_duration_and_dose():
    flex = {"mode": "flex", "concentration": "2000.0 mcg/mL"}
    flex["step"] = [
        {"start": "00:00", "duration": "7.0 h", "rate": "162.75000000000003 mcg/day"},
        {"start": "07:00", "duration": "17.0 h", "rate": "400.0 mcg/day", "days": ["sat"]},
    ]
    assert program_words(flex) == (
        "Flex at 2000 mcg/mL: from 00:00 for 7 h, 163 mcg/day; "
        "from 07:00 for 17 h, 400 mcg/day (Sat only)"
    )


def test_a_program_change_reads_its_daily_dose_before_and_after_and_both_programs():
    what = {
        "serial": "NGP001",
        "effective_at": "2026-11-13T10:00:00",
        "before": {
            "mode": "continuous",
            "concentration": "500.0 mcg/mL",
            "daily_dose": "250.0 mcg/day",
        },
        "after": PERIODIC,
        "mcg_per_day": [250.0, 162.75000000000003],
        "rules": ["large_decrease", "dose_below_range"],
        "window_h": 72,
    }
    assert audit_fields(what) == [
        ("Pump serial", "NGP001"),
        ("Effective from", "Fri 13 Nov 2026 10:00"),
        ("Before", "Continuous, 250 mcg/day at 500 mcg/mL"),
        ("After", program_words(PERIODIC, 5)),
        ("Mean daily dose", "250 → 162.75 mcg/day"),
        ("Rules", "large decrease, dose below range"),
        ("Window", "3 days"),
    ]
    assert audit_text({"serial": "NGP001", "rules": []}) == "Pump serial: NGP001\nRules: -"


def test_the_web_view_and_the_cli_read_a_record_alike():
    before = {"mode": "continuous", "concentration": "500.0 mcg/mL", "daily_dose": "250.0 mcg/day"}
    assert audit_text(before) == "Program: Continuous, 250 mcg/day at 500 mcg/mL"
    assert audit_record({"before": before, "device": "synchromed2-40"}) == (
        '<ul class="record"><li>Before: Continuous, 250 mcg/day at 500 mcg/mL</li>'
        "<li>Pump model: SynchroMed II 40 mL (8637-40)</li></ul>"
    )
    assert audit_text({"device": "clinic-own-pump"}) == "Pump model: clinic-own-pump"


def test_a_check_reason_reads_as_verdict_text_rule_and_source():
    reason = {"rule": "refill_reconciled", "verdict": "warn", "source": "wesemann2014"}
    reason["text"] = "withdrew 4.6 mL against 5 mL expected"
    assert reason_words(reason) == (
        "WARN: withdrew 4.6 mL against 5 mL expected (refill reconciled; source wesemann2014)"
    )


def test_a_moment_with_its_utc_offset_reads_with_its_zone():
    what = {"file": "clinic.json", "exported_at": "2026-12-06T18:49:35+00:00"}
    assert audit_text(what) == "File: clinic.json\nExported at: Sun 06 Dec 2026 18:49 UTC"


SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE][+-]?\d")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2})?")


@given(
    value=st.floats(allow_nan=False, allow_infinity=False),
    key=st.sampled_from(["daily_dose_mcg", "volume_ml", "error_pct", "fraction", "window_h"]),
)
def test_no_recorded_number_reads_in_scientific_notation(value, key):
    assert not SCIENTIFIC.search(audit_text({key: value}))
    assert not SCIENTIFIC.search(audit_text({key: f"{value!r} mcg/day"}))


@given(moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)))
def test_no_recorded_moment_reads_as_iso_text(moment):
    for text in (moment.isoformat(), moment.isoformat(timespec="minutes"), f"{moment:%Y-%m-%d}"):
        assert not ISO.search(audit_text({"occurred_at": text}))
    assert not ISO.search(audit_text({"exported_at": moment.replace(tzinfo=UTC).isoformat()}))


def test_a_catheter_faults_share_reads_as_a_percentage_of_the_flow():
    assert audit_text({"fraction": 0.3}) == "Share of the flow affected: 30%"
    assert audit_text({"fraction": 1}) == "Share of the flow affected: 100%"  # a whole share
