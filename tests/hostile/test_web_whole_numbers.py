"""Issue 17, h29 sweep of the web forms: a Penn score typed with a character Python calls a
digit but int() cannot read ("²") answered 500 with a ValueError, and one in other digits ("٣",
"２") was stored as 3 or 2; a whole number on a form is written with the digits 0-9."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from itbtwin import store
from web.conftest import clinic, csrf_of, postgres_template, template_db  # noqa: F401

FORM = {"muscle_0": "hip adductors L", "grade_0": "2", "penn_frequency": "2", "penn_severity": "1"}


def _assessments(clinic) -> int:  # noqa: F811
    with store.transaction(clinic.engine) as db:
        return db.scalar(select(func.count()).select_from(store.Assessment))


@pytest.mark.parametrize("typed", ["\u00b2", "\u0663", "\uff12", "2\u200b", "1_0"])
def test_issue_17_a_penn_score_not_in_digits_0_to_9_is_refused_on_its_field(clinic, typed):  # noqa: F811
    nurse = clinic.client("nurse-carol")
    patient = clinic.patient_id(0)
    before = _assessments(clinic)
    page = nurse.post(
        f"/patients/{patient}/assess",
        data={"csrf_token": csrf_of(nurse)} | FORM | {"penn_frequency": typed},
    )
    assert page.status_code == 400, page.text
    assert "a whole number from 0 to 4" in page.text
    assert _assessments(clinic) == before


def test_issue_17_a_penn_score_in_digits_is_stored(clinic):  # noqa: F811
    nurse = clinic.client("nurse-carol")
    patient = clinic.patient_id(0)
    before = _assessments(clinic)
    page = nurse.post(f"/patients/{patient}/assess", data={"csrf_token": csrf_of(nurse)} | FORM)
    assert page.status_code == 303, page.text
    assert _assessments(clinic) == before + 1
