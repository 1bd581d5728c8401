"""Issue 17, h29 sweep of who is working and why: `--by ""` fell back to the login name
without a word and `--by` with a terminal escape code was stored as the audit's "who"; a user
name with a Cyrillic а (`аdmin`, which reads as `admin`) and one that differs from another only
in case (`Alice` beside `alice`) were added; a reason of 100,000 characters was stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.errors import RecordError

PATIENT = ("patient", "add", "P9", "--birth-date", "1980-05-01", "--weight", "75 kg")


def _audit_rows() -> int:
    engine = store.open_engine()
    with store.transaction(engine) as db:
        count = db.scalar(select(func.count()).select_from(store.AuditEntry))
    engine.dispose()
    return count


@pytest.mark.parametrize(
    ("by", "message"),
    [
        ("", "--by is empty: give who does this"),
        ("  ", "--by is empty"),
        ("nurse\x1b[31m", "who made the change (--by or ITBTWIN_USER) holds a control character"),
        ("nurse\u202e", "holds a control character"),
    ],
)
def test_issue_17_who_made_a_change_is_a_name_or_nothing_is_stored(cli, by, message):
    assert cli("db", "upgrade").exit_code == 0
    before = _audit_rows()
    result = cli(*PATIENT, "--origin", "spinal", "--by", by)
    assert isinstance(result.exception, RecordError), result.output
    assert message in str(result.exception)
    assert _audit_rows() == before


def test_issue_17_a_named_clinician_is_recorded(cli):
    assert cli("db", "upgrade").exit_code == 0
    assert cli(*PATIENT, "--origin", "spinal", "--by", "nurse-x").exit_code == 0
    assert "nurse-x" in cli("audit", "--patient", "P9").output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Alice", "a user named 'alice' exists already"),
        ("ALICE", "a user named 'alice' exists already"),
        ("\u0430lice", "in ASCII (letters A-Z, digits and punctuation): '\\u0430lice'"),
    ],
)
def test_issue_17_a_user_name_taken_for_another_is_refused(cli, name, message):
    assert cli("db", "upgrade").exit_code == 0
    assert cli("user", "add", "alice", "--role", "nurse", "--generate").exit_code == 0
    result = cli("user", "add", name, "--role", "nurse", "--generate")
    assert isinstance(result.exception, RecordError), result.output
    assert message in str(result.exception)
    assert [u for u in cli("user", "list", "--json").output.split('"') if "lice" in u] == ["alice"]


def test_issue_17_a_reason_longer_than_its_column_is_refused(cli):
    """`pump implant --reason` of 100,000 characters was stored (the audit's `why` is 2,000
    characters: PostgreSQL would refuse it at the commit, SQLite kept it)."""
    assert cli("db", "upgrade").exit_code == 0
    before = _audit_rows()
    result = cli(*PATIENT, "--origin", "spinal", "--reason", "r" * 2001)
    assert isinstance(result.exception, RecordError), result.output
    assert "the reason is longer than 2000 characters (2,001)" in str(result.exception)
    assert _audit_rows() == before
    assert cli(*PATIENT, "--origin", "spinal", "--reason", "r" * 2000).exit_code == 0


def test_issue_17_disabling_a_disabled_user_is_refused_and_not_audited_again(cli):
    """h36 sweep: `user disable alice` a second time said "user alice disabled" and wrote a
    second audit entry."""
    assert cli("db", "upgrade").exit_code == 0
    assert cli("user", "add", "alice", "--role", "nurse", "--generate").exit_code == 0
    assert cli("user", "disable", "alice", "--reason", "left").exit_code == 0
    before = _audit_rows()
    result = cli("user", "disable", "alice", "--reason", "left")
    assert isinstance(result.exception, RecordError), result.output
    assert str(result.exception) == "user 'alice' is disabled already"
    assert _audit_rows() == before
