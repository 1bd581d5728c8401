"""Refills, assessments and the audit view (issue 15): reconciled refills with the pocket-fill
escalation and the patient card, assessments, bad input refused on its field, hostile text stored
verbatim and shown escaped."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import select

from itbtwin import store
from web.conftest import csrf_of

HOSTILE = (
    '<script>alert("x")</script>',
    "Robert'); DROP TABLE patient;--",
    '" onmouseover="alert(1)',
)


def _pump(clinic):  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        pump = store.implanted_pumps(db)[0]
        return pump.patient_id, pump.id, len(pump.refills)


REFILL = {
    "expected": "5 mL",
    "withdrawn": "5 mL",
    "injected": "18 mL",
    "measured": "17.9 mL",
    "concentration": "500 mcg/mL",
    "product": "Lioresal Intrathecal",
    "lot": "L123",
    "expiry": "2027-01-31",
}
"""A refill form that reconciles: 5 mL withdrawn as expected, 18 mL of 500 mcg/mL injected."""


def _refill(client, patient: int, **fields):  # type: ignore[no-untyped-def]
    form = {"csrf_token": csrf_of(client)} | REFILL
    return client.post(f"/patients/{patient}/refill", data=form | fields)


def test_a_refill_is_reconciled_stored_and_shows_the_new_dates_and_the_card_link(clinic):
    patient, pump, count = _pump(clinic)
    page = _refill(clinic.client("nurse-carol"), patient)
    assert page.status_code == 200, page.text
    assert "Reconciliation" in page.text and "Low-reservoir alarm" in page.text
    assert "Pocket fill suspected" not in page.text
    assert f"/patients/{patient}/card" in page.text
    with store.transaction(clinic.engine) as db:
        refills = db.get(store.Pump, pump).refills
        assert len(refills) == count + 1 and refills[-1].performed_by == "nurse-carol"
        (entry,) = store.audit_trail(db, "refill", refills[-1].id)
        assert refills[-1].product_expiry == date(2027, 1, 31)
        assert entry.what["product_expiry"] == "2027-01-31"


def test_a_pocket_fill_says_do_not_refill_escalate_and_records_the_event(clinic):
    patient, pump, _ = _pump(clinic)
    page = _refill(clinic.client("nurse-carol"), patient, measured="14 mL")
    assert page.status_code == 200
    assert "Pocket fill suspected: do not refill again, escalate" in page.text
    with store.transaction(clinic.engine) as db:
        kinds = [e.kind for e in db.get(store.Pump, pump).events]
    assert kinds[-1] == "pocket_fill_suspected"


def test_the_printable_card_gives_the_alarm_sounds_and_the_signs(clinic):
    patient, *_ = _pump(clinic)
    card = clinic.client("nurse-carol").get(f"/patients/{patient}/card")
    assert card.status_code == 200
    assert "What the pump's alarm sounds mean" in card.text
    assert "withdrawal" in card.text.lower() and "<script" not in card.text


def test_the_cards_last_refill_day_is_the_schedules_on_the_clinics_opening_days(clinic):
    """The card reads the clinic's opening days and holidays as the schedule does (h38): with
    the clinic open on Wednesdays only, each card's last refill day is the overview's Wednesday."""
    from dataclasses import replace

    from itbtwin.clinic import WindowOptions
    from itbtwin.display import format_date
    from itbtwin.web import WebSettings, create_app

    settings = WebSettings(
        holidays=clinic.holidays,
        open_weekdays=(2,),
        clock=lambda: clinic.clock.utc,
        clinic_clock=lambda: clinic.clock.clinic,
    )
    nurse = replace(clinic, app=create_app(clinic.engine, settings)).client("nurse-carol")
    options = WindowOptions(open_weekdays=(2,), holidays=clinic.holidays)
    with store.transaction(clinic.engine) as db:
        overview = store.clinic_overview(db, now=clinic.clock.clinic, options=options)
        latest = {e.name: e.window.latest for e in overview.entries if e.window.latest}
        patients = {p.identifier: p.id for p in store.list_patients(db)}
    assert latest
    for name, day in latest.items():
        card = nurse.get(f"/patients/{patients[name]}/card").text
        assert f"Next refill: by {format_date(day)}<" in card and day.weekday() == 2, name


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("withdrawn", "5", "unit"),
        ("injected", "18 mcg", "mL"),
        ("concentration", "500 mg", "mcg/mL"),
        ("expiry", "2020-01-01", "expired"),
        ("expiry", "9999-12-31", "over 10 years ahead"),
        ("expiry", "soon", "YYYY-MM-DD"),
        ("performed_at", "2030-01-01 10:00", "future"),
    ],
)
def test_bad_refill_input_is_refused_on_its_field_and_nothing_is_stored(
    clinic, field, value, named
):
    patient, pump, count = _pump(clinic)
    page = _refill(clinic.client("nurse-carol"), patient, **{field: value})
    assert page.status_code == 400
    assert f'name="{field}"' in page.text and "field-error" in page.text
    assert named in html.unescape(page.text.split('class="field-error">', 1)[1].split("<")[0])
    with store.transaction(clinic.engine) as db:
        assert len(db.get(store.Pump, pump).refills) == count


def test_an_assessment_is_recorded_with_mas_per_muscle_group_and_penn(clinic):
    patient, *_ = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    form = {"csrf_token": csrf_of(nurse), "muscle_0": "hip adductors L", "grade_0": "1+"}
    form |= {"muscle_1": "knee extensors R", "grade_1": "2", "penn_frequency": "2"}
    form |= {"penn_severity": "1"}
    assert nurse.post(f"/patients/{patient}/assess", data=form).status_code == 303
    with store.transaction(clinic.engine) as db:
        last = db.get(store.Patient, patient).assessments[-1]
        assert last.mas == {"hip adductors L": "1+", "knee extensors R": "2"}
        assert (last.penn_frequency, last.penn_severity, last.assessed_by) == (2, 1, "nurse-carol")


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"muscle_0": "hip adductors L", "grade_0": "5"}, "muscle_0"),
        ({"muscle_0": "hip adductors L"}, "muscle_0"),
        ({"penn_frequency": "7"}, "penn_frequency"),
        ({"penn_frequency": "0", "penn_severity": "2"}, "penn_severity"),
    ],
)
def test_a_bad_assessment_is_refused_on_its_field(clinic, fields, where):
    patient, *_ = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    page = nurse.post(f"/patients/{patient}/assess", data={"csrf_token": csrf_of(nurse)} | fields)
    assert page.status_code == 400 and "field-error" in page.text
    assert f'name="{where}"' in page.text.split("field-error")[0].rsplit("<label", 1)[-1] or (
        where in page.text
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_verbatim_and_shown_escaped(clinic, text):
    patient, *_ = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    form = {"csrf_token": csrf_of(nurse), "muscle_0": text, "grade_0": "1", "adverse_effects": text}
    assert nurse.post(f"/patients/{patient}/assess", data=form).status_code == 303
    with store.transaction(clinic.engine) as db:
        last = db.get(store.Patient, patient).assessments[-1]
        assert last.adverse_effects == text and list(last.mas) == [text]
        assert db.scalar(select(store.Patient.id).where(store.Patient.id == patient))
    for page in (nurse.get(f"/patients/{patient}"), nurse.get("/audit")):
        assert text not in page.text
        assert str(escape(text)) in page.text


def test_the_audit_view_filters_by_patient_user_and_kind(clinic):
    patient, *_ = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    form = {"csrf_token": csrf_of(nurse), "muscle_0": "hip adductors L", "grade_0": "1"}
    nurse.post(f"/patients/{patient}/assess", data=form)
    mine = nurse.get("/audit", params={"user": "nurse-carol"}).text
    assert mine.count("<td>Assessment recorded</td>") == 1
    others = nurse.get("/audit", params={"user": "demo", "kind": "refill"}).text
    assert "<td>Refill recorded</td>" in others and "<td>Assessment recorded</td>" not in others
    theirs = nurse.get("/audit", params={"patient": patient, "kind": "assessment"}).text
    assert "<td>Assessment recorded</td>" in theirs


def test_the_reconciliation_reads_with_its_sign_and_unit_in_plain_numbers(clinic):
    patient, _pump_id, _count = _pump(clinic)
    page = _refill(clinic.client("nurse-carol"), patient, withdrawn="5.5 mL").text
    assert "Discrepancy (withdrawn − expected): +0.5 mL;" in page
    assert re.search(r"delivery error since the last fill: [+-]?\d+(\.\d+)?%\.", page)
