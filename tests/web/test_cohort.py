"""The researchers' de-identified cohort beside the trials page (issue 15): no identifier,
serial, full date or free text, birth year only, surrogate numbers that are not database ids."""

from __future__ import annotations

import re

from sqlalchemy import select

from itbtwin import store


def _clinic_records(clinic):  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        pumps = store.implanted_pumps(db)
        return [
            {
                "identifier": p.patient.identifier,
                "serial": p.serial,
                "birth": p.patient.birth_date,
                "diagnosis": p.patient.diagnosis,
                "id": p.patient_id,
            }
            for p in pumps
        ]


def test_the_cohort_lists_every_implanted_patient_by_birth_year_and_no_identifier(clinic):
    records = _clinic_records(clinic)
    page = clinic.client("res-erin").get("/cohort")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    rows = re.findall(r"<tr><td>(C\d{3})</td><td>(\d{4})</td>", page.text)
    assert [s for s, _ in rows] == [f"C{i:03d}" for i in range(1, len(records) + 1)]
    assert sorted(int(y) for _, y in rows) == sorted(r["birth"].year for r in records)
    for record in records:
        assert record["identifier"] not in page.text and record["serial"] not in page.text
        assert record["birth"].isoformat() not in page.text
        assert f"{record['birth']:%d %b %Y}" not in page.text
        assert not record["diagnosis"] or record["diagnosis"] not in page.text
    assert "/patients/" not in page.text


def test_cohort_doses_are_the_programs_in_effect(clinic):
    with store.transaction(clinic.engine) as db:
        now = clinic.clock.clinic
        doses = [store.version_at(p, now).mean_daily_dose_mcg for p in store.implanted_pumps(db)]
        cohort = store.deidentified_cohort(db, now)
    assert sorted(row.daily_dose_mcg for row in cohort) == sorted(doses)


def test_a_patient_aged_90_or_more_shows_no_birth_year(clinic):
    with store.transaction(clinic.engine) as db:
        patient = db.scalars(select(store.Patient)).first()
        patient.birth_date = patient.birth_date.replace(year=clinic.clock.clinic.year - 95)
        old_id = patient.identifier
    page = clinic.client("res-erin").get("/cohort")
    assert "90 or older" in page.text and old_id not in page.text
    assert str(clinic.clock.clinic.year - 95) not in page.text
