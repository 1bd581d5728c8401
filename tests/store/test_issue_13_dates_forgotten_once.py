"""Issue 13 §4: a transaction of many writes to one pump (the demo clinic) deletes the pump's
stored dates once, not at every write; once its dates are stored again in that transaction, the
next write deletes them again, so a stale row is never left behind."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.clinic import RefillVisit
from itbtwin.store._dates_cache import cached_dates
from itbtwin.store._dates_rows import PumpDatesRow
from store_clinic import NOW, one_patient, statements_run

VISIT = RefillVisit(4.6, 5.0, 20.0, "Lioresal", 500.0)


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    one_patient(engine)
    return engine


def _refill(session, pump, day: int) -> None:
    store.record_refill(
        session, "nurse", pump, VISIT, performed_at=datetime(2026, 10, day, 10), lot="L", now=NOW
    )


def test_issue_13_many_writes_delete_a_pumps_dates_once_until_they_are_stored_again(clinic):
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        cached_dates(session, [pump], NOW)  # stored: a row to delete
        with statements_run(clinic, "DELETE FROM pump_dates") as deletes:
            _refill(session, pump, 1)
            _refill(session, pump, 15)
            store.record_event(
                session, "nurse", pump, occurred_at=datetime(2026, 10, 16, 9),
                kind="interrogation", detail="reservoir read", now=NOW,
            )  # fmt: skip
            assert len(deletes) == 1
            cached_dates(session, [pump], NOW)  # computed and stored again (one delete first)
            assert len(deletes) == 2
            _refill(session, pump, 29)
            assert len(deletes) == 3
        left = session.scalar(select(func.count()).select_from(PumpDatesRow))
        assert left == 0
