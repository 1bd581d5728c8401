"""Issue 13 §4: a transaction that writes many audited records (the demo clinic) chains each
entry to the one before without reading the chain's newest digest back each time; the chain it
writes verifies, and a savepoint rolled back makes the next entry read the digest again."""

from __future__ import annotations

from datetime import datetime

import pytest

from itbtwin import store
from itbtwin.store._audit_chain import verify_chain
from store_clinic import statements_run

NOW = datetime(2026, 12, 7, 9)


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    return engine


def _add(session, identifier: str) -> None:
    store.add_patient(
        session, "nurse", identifier=identifier, birth_date=datetime(1970, 1, 1).date(),
        weight_kg=70.0, origin="spinal", today=NOW.date(),
    )  # fmt: skip
    session.flush()


def test_issue_13_one_transaction_reads_the_newest_digest_once_and_the_chain_verifies(clinic):
    with statements_run(clinic, "SELECT audit_chain.digest") as reads:
        with store.transaction(clinic) as session:
            for k in range(5):
                _add(session, f"P{k:03d}")
        assert len(reads) == 1
        with store.transaction(clinic) as session:
            _add(session, "P100")
            savepoint = session.begin_nested()
            _add(session, "P101")
            savepoint.rollback()
            _add(session, "P102")  # the rolled-back entry's digest is not the newest
        assert len(reads) == 4
    with store.transaction(clinic) as session:
        check = verify_chain(session)
    assert check.broken_at is None and check.entries == 7
