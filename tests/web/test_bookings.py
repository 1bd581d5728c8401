"""Booked visits (issue 15): booked from the patient page, audited, refused in the past or a
year ahead, and shown in the refill queue against the low-reservoir alarm."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from itbtwin import store
from itbtwin.clinic import WindowOptions
from itbtwin.errors import RecordError
from web.conftest import csrf_of


def _first_in_queue(clinic):  # type: ignore[no-untyped-def]
    """The most urgent pump of the queue whose alarm is at least two days ahead: its patient's
    surrogate id, identifier and the alarm's time."""
    today = clinic.clock.clinic.date()
    with store.transaction(clinic.engine) as db:
        options = WindowOptions(holidays=clinic.holidays)
        overview = store.clinic_overview(db, now=clinic.clock.clinic, options=options)
        for entry in overview.due_within(14):
            alarm = entry.dates.local(entry.dates.low_reservoir_h)
            if alarm is not None and alarm.date() >= today + timedelta(days=2):
                patient = db.scalar(
                    select(store.Patient).where(store.Patient.identifier == entry.name)
                )
                return patient.id, entry.name, alarm
    raise AssertionError("the demo clinic has a pump whose alarm is two days ahead or more")


def _book(client, patient, day):  # type: ignore[no-untyped-def]
    form = {"csrf_token": csrf_of(client), "visit_on": day.isoformat(), "note": "phoned"}
    return client.post(f"/patients/{patient}/book", data=form)


def _queue_cell(clinic, name):  # type: ignore[no-untyped-def]
    page = clinic.client("nurse-carol").get("/")
    row = next(r for r in page.text.split("<tr") if f">{name}</a>" in r)
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1].strip()


def test_the_queue_says_no_visit_is_booked_before_the_alarm_until_one_is(clinic):
    patient, name, alarm = _first_in_queue(clinic)
    assert _queue_cell(clinic, name) == "no visit booked before the alarm"
    nurse = clinic.client("nurse-carol")
    late = alarm.date() + timedelta(days=3)
    assert _book(nurse, patient, late).status_code == 303
    assert _queue_cell(clinic, name) == f"{late:%a %d %b %Y} after the alarm"
    early = alarm.date() - timedelta(days=1)
    assert _book(nurse, patient, early).status_code == 303
    assert _queue_cell(clinic, name) == f"{early:%a %d %b %Y}"
    assert f"{early:%a %d %b %Y}" in nurse.get(f"/patients/{patient}").text


def test_a_booking_is_stored_with_who_booked_it_and_audited(clinic):
    patient, _name, _alarm = _first_in_queue(clinic)
    day = clinic.clock.clinic.date() + timedelta(days=5)
    assert _book(clinic.client("nurse-carol"), patient, day).status_code == 303
    with store.transaction(clinic.engine) as db:
        booking = db.scalars(select(store.VisitBooking)).one()
        entry = store.audit_trail(db)[-1]
        assert (booking.visit_on, booking.booked_by) == (day, "nurse-carol")
        assert (entry.action, entry.actor, entry.why) == ("visit.book", "nurse-carol", "phoned")


@pytest.mark.parametrize(
    ("offset_days", "message"),
    [(-1, "is in the past"), (367, "more than 366 days ahead"), (None, "YYYY-MM-DD")],
)
def test_a_visit_in_the_past_a_year_ahead_or_not_a_day_is_refused_on_its_field(
    clinic, offset_days, message
):
    patient, _name, _alarm = _first_in_queue(clinic)
    nurse = clinic.client("nurse-carol")
    today = clinic.clock.clinic.date()
    day = "05/03/2026" if offset_days is None else (today + timedelta(days=offset_days)).isoformat()
    form = {"csrf_token": csrf_of(nurse), "visit_on": day}
    page = nurse.post(f"/patients/{patient}/book", data=form)
    assert page.status_code == 400 and message in page.text and "field-error" in page.text
    with store.transaction(clinic.engine) as db:
        assert db.scalars(select(store.VisitBooking)).all() == []


def test_the_same_day_cannot_be_booked_twice_for_a_pump(clinic):
    with store.transaction(clinic.engine) as db:
        pump = store.implanted_pumps(db)[0]
        today = clinic.clock.clinic.date()
        store.book_visit(db, "nurse-carol", pump, today, today=today)
        with pytest.raises(RecordError, match="already booked"):
            store.book_visit(db, "nurse-carol", pump, today, today=today)
