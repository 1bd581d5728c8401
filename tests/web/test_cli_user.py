"""`itbtwin user add|list|disable|reset-password` (issue 15)."""

from __future__ import annotations

import pytest

from itbtwin import store
from itbtwin.errors import RecordError


def test_users_are_added_listed_disabled_and_reset_with_an_audit_entry_each(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    added = cli("user", "add", "nurse-x", "--role", "nurse", "--generate", "--database", db)
    assert added.exit_code == 0 and "password (shown once):" in added.output
    doctor = cli("user", "add", "dr-x", "--role", "physician", "--generate", "--database", db)
    assert "TOTP secret" in doctor.output and "otpauth://totp/" in doctor.output
    listed = cli("user", "list", "--json", "--database", db)
    assert '"username": "dr-x"' in listed.output and '"totp": true' in listed.output
    assert cli("user", "disable", "nurse-x", "--reason", "left", "--database", db).exit_code == 0
    assert cli("user", "reset-password", "nurse-x", "--generate", "--database", db).exit_code == 0
    engine = store.open_engine(db)
    with store.transaction(engine) as session:
        actions = [e.action for e in store.audit_trail(session, "user")]
        assert store.find_user(session, "nurse-x").disabled is False
    engine.dispose()
    assert actions == ["user.add", "user.add", "user.disable", "user.reset_password"]


def test_a_bad_role_is_refused_and_nobody_is_added(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    bad = cli("user", "add", "x", "--role", "admin", "--generate", "--database", db)
    assert isinstance(bad.exception, RecordError) and "role must be one of" in str(bad.exception)
    assert '"users": []' in cli("user", "list", "--json", "--database", db).output


def test_a_password_shorter_than_12_characters_is_refused():
    engine = store.open_engine("sqlite://")
    store.upgrade(engine)
    with (
        pytest.raises(RecordError, match="at least 12 characters"),
        store.transaction(engine) as session,
    ):
        store.add_user(session, "admin", "nurse-y", "nurse", "short-pw")
