"""Issue 13 §4: a transaction that writes several records for one pump (the demo clinic) locks
and rereads the pump once; a new transaction, or a savepoint rolled back or released, takes the
lock again (PostgreSQL releases a lock taken inside a savepoint that is rolled back)."""

from __future__ import annotations

import pytest

from itbtwin import store
from itbtwin.store._pumps import lock_pump
from store_clinic import locks_taken, one_patient


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    one_patient(engine)
    return engine


def test_issue_13_a_pump_locked_twice_in_one_transaction_is_locked_and_read_once(clinic):
    with locks_taken(clinic) as taken, store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        assert lock_pump(session, pump) is pump
        assert lock_pump(session, pump) is pump
        assert len(taken) == 1
    with locks_taken(clinic) as taken, store.transaction(clinic) as session:
        lock_pump(session, store.find_pump(session, "NGP001"))
        assert len(taken) == 1  # a new transaction locks it again


def test_issue_13_a_lock_taken_in_a_savepoint_is_taken_again_after_it_ends(clinic):
    with locks_taken(clinic) as taken, store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        savepoint = session.begin_nested()
        lock_pump(session, pump)
        savepoint.rollback()
        lock_pump(session, pump)
        assert len(taken) == 2
        with session.begin_nested():
            lock_pump(session, pump)  # held by the transaction around it
        assert len(taken) == 2
