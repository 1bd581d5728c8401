"""Updating a patient: changed fields only, audited before and after, impossible values refused
with the record left as it was (both databases)."""

from __future__ import annotations

import math

import pytest

from itbtwin import store
from itbtwin.errors import ItbError, RecordError
from store_clinic import NOW, one_patient


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    one_patient(engine)
    return engine


def test_an_update_changes_the_fields_given_and_audits_before_and_after(clinic):
    with store.transaction(clinic) as session:
        store.update_patient(
            session,
            "nurse.jones",
            "P001",
            today=NOW.date(),
            why="weighed at the refill visit; missed the October visit",
            weight_kg=72.5,
            missed_visits=1,
            prior_withdrawal=False,  # unchanged: not in the audit entry
        )
    with store.transaction(clinic) as session:
        fields = store.patient_fields(store.find_patient(session, "P001"))
        entry = store.audit_trail(session, "patient")[-1]
        risk = store.risk_record(store.find_patient(session, "P001"))
    assert fields["weight_kg"] == 72.5 and fields["missed_visits"] == 1
    assert fields["injury_level"] == "T4" and fields["origin"] == "spinal"
    assert (entry.actor, entry.action) == ("nurse.jones", "patient.update")
    assert entry.what == {
        "identifier": "P001",
        "before": {"weight_kg": 75.0, "missed_visits": 0},
        "after": {"weight_kg": 72.5, "missed_visits": 1},
    }
    assert entry.why.startswith("weighed")
    assert risk.missed_visits == 1  # the risk list reads the updated record


def test_levels_and_origins_are_stored_in_their_canonical_spelling(clinic):
    with store.transaction(clinic) as session:
        patient = store.update_patient(
            session, "dr", "P001", today=NOW.date(), injury_level="c5", origin="cerebral"
        )
        assert (patient.injury_level, patient.origin) == ("C5", "cerebral")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_kg": -3.0}, "positive number of kg"),
        ({"weight_kg": math.nan}, "positive number of kg"),
        ({"weight_kg": 0.072}, "impossible .* check the unit"),
        ({"missed_visits": -1}, "cannot be negative"),
        ({"origin": "Cerebral"}, "unknown origin"),  # never guessed: spinal or cerebral
        ({"injury_level": "Q9"}, "unknown vertebral level"),
        ({"birth_date": NOW.date()}, "cannot update birth_date"),
        ({"weight_kg": 75.0}, "nothing to change"),
        ({}, "nothing to change"),
    ],
)
def test_impossible_or_empty_updates_are_refused_and_change_nothing(clinic, changes, message):
    with pytest.raises(ItbError, match=message), store.transaction(clinic) as session:
        store.update_patient(session, "dr", "P001", today=NOW.date(), **changes)
    with store.transaction(clinic) as session:
        fields = store.patient_fields(store.find_patient(session, "P001"))
        actions = [e.action for e in store.audit_trail(session, "patient")]
    assert fields["weight_kg"] == 75.0 and fields["missed_visits"] == 0
    assert "patient.update" not in actions


def test_an_unknown_patient_is_named(clinic):
    with pytest.raises(RecordError, match="no patient 'P404'"), store.transaction(clinic) as s:
        store.update_patient(s, "dr", "P404", today=NOW.date(), weight_kg=70.0)
