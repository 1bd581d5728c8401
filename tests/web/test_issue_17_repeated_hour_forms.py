"""Issue 17: the web's record forms read a time in the hour the clocks repeated as the command
line does. Without its UTC offset it is refused on its field (the form now takes the offset the
message asks for); the first hour with its offset is stored as the pump's wall time; the second
is refused, as the records would read it as the first, an hour early. A refusal stores nothing."""

from __future__ import annotations

import html
from datetime import datetime

import pytest

from itbtwin import store
from web.conftest import csrf_of
from web.test_records import _pump, _refill

REPEATED = "2025-11-02 01:30"
"""01:00-02:00 happened twice in New York (the demo clinic's zone) on 2 Nov 2025: EDT (-04:00),
then EST (-05:00)."""
SECOND = "is in the second of the two repeated hours in America/New_York (the clocks went back)"
TWICE = "happened twice in America/New_York (the clocks went back): give the UTC offset"


def _field_error(page, field: str) -> str:  # type: ignore[no-untyped-def]
    """The error shown beside `field`."""
    after = page.text.split(f'name="{field}"', 1)[1]
    return html.unescape(after.split('class="field-error">', 1)[1].split("<")[0])


def _assess(clinic, at: str):  # type: ignore[no-untyped-def]
    patient, *_ = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    form = {"csrf_token": csrf_of(nurse), "muscle_0": "hip adductors L", "grade_0": "1+"}
    return patient, nurse.post(f"/patients/{patient}/assess", data=form | {"assessed_at": at})


def _assessments(clinic, patient: int) -> list[datetime]:  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        return [a.assessed_at for a in db.get(store.Patient, patient).assessments]


@pytest.mark.parametrize(("at", "message"), [(REPEATED, TWICE), (f"{REPEATED}-05:00", SECOND)])
def test_issue_17_an_assessment_in_the_repeated_hour_is_refused_on_its_field(clinic, at, message):
    patient, *_ = _pump(clinic)
    before = _assessments(clinic, patient)
    _, page = _assess(clinic, at)
    assert page.status_code == 400
    assert message in _field_error(page, "assessed_at")
    assert _assessments(clinic, patient) == before


def test_issue_17_an_assessment_in_the_first_repeated_hour_with_its_offset_is_stored(clinic):
    patient, page = _assess(clinic, f"{REPEATED}-04:00")
    assert page.status_code == 303, page.text
    assert datetime(2025, 11, 2, 1, 30) in _assessments(clinic, patient)


def test_issue_17_a_refill_in_the_second_repeated_hour_is_refused_and_nothing_stored(clinic):
    patient, pump, count = _pump(clinic)
    page = _refill(clinic.client("nurse-carol"), patient, performed_at=f"{REPEATED}-05:00")
    assert page.status_code == 400
    assert SECOND in _field_error(page, "performed_at")
    with store.transaction(clinic.engine) as db:
        assert len(db.get(store.Pump, pump).refills) == count
