"""Issue 13 §1: `patient list` reads every patient's pumps, programs, fills and assessments in
one query a relationship, however many patients there are (it took four lazy loads a patient:
~200 statements for the 50-patient demo)."""

from __future__ import annotations

import pytest

from itbtwin import store
from store_clinic import NOW, one_patient, statements_run


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    return engine


def _summaries(engine) -> tuple[list[dict], int]:
    with store.transaction(engine) as session, statements_run(engine) as run:
        rows = store.patient_summaries(session, now=NOW)
    return rows, len(run)


def test_issue_13_patient_summaries_take_as_many_queries_for_five_patients_as_for_one(
    clinic,
) -> None:
    one_patient(clinic, "P001", "NGP001")
    rows, for_one = _summaries(clinic)
    for n in range(2, 6):
        one_patient(clinic, f"P00{n}", f"NGP00{n}")
    rows, for_five = _summaries(clinic)
    assert for_five == for_one
    assert [(r["identifier"], r["serial"]) for r in rows] == [
        (f"P00{n}", f"NGP00{n}") for n in range(1, 6)
    ]
    assert {(r["daily_dose_mcg"], r["concentration_mcg_per_ml"]) for r in rows} == {(250.0, 500.0)}
    assert {r["last_fill"] for r in rows} == {"2026-09-01 10:00"}
