"""Program changes confirmed by a second person and clinic users, in the store itself (issue 15),
on SQLite and PostgreSQL: the version is stored only at confirmation, by the rules of who may
confirm whose change; the throttle counts failures in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from itbtwin import store
from itbtwin.errors import RecordError
from store_clinic import IMPLANT, NOW, one_patient

LATER = IMPLANT + timedelta(days=10)
"""While the 20 mL reservoir still holds drug (0.5 mL/day)."""
DOSE = {"mode": "continuous", "daily_dose": "270 mcg/day"}


@pytest.fixture
def clinic(engine):  # type: ignore[no-untyped-def]
    store.upgrade(engine)
    one_patient(engine)
    return engine


def _propose(engine, who="nurse-a", role="nurse", document=DOSE, **kw):  # type: ignore[no-untyped-def]
    with store.transaction(engine) as db:
        proposal, check = store.propose_program(
            db,
            who,
            role,
            store.find_pump(db, "NGP001"),
            document,
            now=LATER,
            why="spasms",
            **kw,
        )
        return proposal.id, check


def _confirm(engine, proposal_id: int, who: str, role: str):  # type: ignore[no-untyped-def]
    with store.transaction(engine) as db:
        return store.confirm_proposal(
            db, who, role, store.find_proposal(db, proposal_id), now=LATER
        )


def _versions(engine) -> list[float]:  # type: ignore[no-untyped-def]
    with store.transaction(engine) as db:
        return [v.mean_daily_dose_mcg for v in store.find_pump(db, "NGP001").programs]


def test_a_proposal_stores_no_version_until_a_physician_confirms_it(clinic):
    proposal, check = _propose(clinic)
    assert (check.current_mcg, check.proposed_mcg) == (250.0, 270.0)
    assert _versions(clinic) == [250.0]
    with pytest.raises(RecordError, match="second person"):
        _confirm(clinic, proposal, "nurse-a", "nurse")
    with pytest.raises(RecordError, match="confirmed by a physician"):
        _confirm(clinic, proposal, "nurse-b", "nurse")
    _confirm(clinic, proposal, "dr-a", "physician")
    assert _versions(clinic) == [250.0, 270.0]
    with pytest.raises(RecordError, match="confirmed already"):
        _confirm(clinic, proposal, "dr-b", "physician")


def test_a_block_is_kept_only_with_a_physicians_override(clinic):
    tenfold = {"mode": "continuous", "daily_dose": "2500 mcg/day"}
    with pytest.raises(store.ProgramBlocked) as blocked:
        _propose(clinic, document=tenfold)
    assert "--" not in str(blocked.value), "the store names no face's controls (issue 15)"
    with pytest.raises(RecordError, match="only a physician may override"):
        _propose(clinic, document=tenfold, override_reason="sure")
    proposal, check = _propose(
        clinic, "dr-a", "physician", tenfold, override_reason="admitted, monitored"
    )
    assert check.verdict.value == "block" and check.may_send
    _confirm(clinic, proposal, "nurse-b", "nurse")
    with store.transaction(clinic) as db:
        version = store.find_pump(db, "NGP001").programs[-1]
        assert (version.verdict, version.override_reason) == ("block", "admitted, monitored")


def test_a_researcher_neither_proposes_nor_confirms(clinic):
    with pytest.raises(RecordError, match="only a physician or a nurse"):
        _propose(clinic, "res-a", "researcher")
    proposal, _ = _propose(clinic)
    with pytest.raises(RecordError, match="only a physician or a nurse"):
        _confirm(clinic, proposal, "res-a", "researcher")


def test_the_login_throttle_counts_failures_since_the_last_success(clinic):
    with store.transaction(clinic) as db:
        store.add_user(db, "admin", "nurse-a", "nurse", "a-long-password")

    def attempt(secret: str) -> str:
        with store.transaction(clinic) as db:  # the refusal is caught inside: the attempt is kept
            try:
                return store.authenticate(db, "nurse-a", secret, now=NOW).role
            except store.LoginRefused as refused:
                return str(refused)

    assert all("wrong" in attempt("wrong-password") for _ in range(4))
    assert attempt("a-long-password") == "nurse"
    assert all("wrong" in attempt("wrong-password") for _ in range(5))
    assert "too many failed sign-ins" in attempt("a-long-password")
    with store.transaction(clinic) as db:
        kept = [a.succeeded for a in db.scalars(select(store.LoginAttempt))]
    assert kept == [False] * 4 + [True] + [False] * 6
