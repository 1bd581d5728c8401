"""A refill's product expiry date is stored in its own column, and a product expired before the
refill's day is refused with nothing stored (issue 15)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from itbtwin import store
from itbtwin.clinic import RefillVisit
from itbtwin.errors import RecordError
from store_clinic import NOW, one_patient

VISIT = RefillVisit(4.6, 5.0, 20.0, "Lioresal", 500.0)
WHEN = datetime(2026, 10, 1, 10)


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    one_patient(engine)
    return engine


def _refill(clinic, expiry):  # type: ignore[no-untyped-def]
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        record, _ = store.record_refill(
            session,
            "nurse",
            pump,
            VISIT,
            performed_at=WHEN,
            lot="L2",
            now=NOW,
            product_expiry=expiry,
        )
        return record.id


def test_the_product_expiry_is_stored_in_its_own_column_and_in_the_audit_row(clinic):
    refill_id = _refill(clinic, date(2027, 1, 31))
    with store.transaction(clinic) as session:
        assert session.get(store.RefillRecord, refill_id).product_expiry == date(2027, 1, 31)
        (entry,) = store.audit_trail(session, "refill", refill_id)
        assert entry.what["product_expiry"] == "2027-01-31"


def test_a_product_expired_before_the_refill_day_is_refused_and_nothing_is_stored(clinic):
    with store.transaction(clinic) as session:
        before = len(store.find_pump(session, "NGP001").refills)
    with pytest.raises(RecordError, match="expired on 30 Sep 2026, before the refill"):
        _refill(clinic, date(2026, 9, 30))
    assert _refill(clinic, date(2026, 10, 1))  # expiring on the day of the refill is usable
    with store.transaction(clinic) as session:
        assert len(store.find_pump(session, "NGP001").refills) == before + 1
