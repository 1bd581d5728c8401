"""`itbtwin user add|list|disable|reset-password` (issue 15)."""

from __future__ import annotations

import pytest

from itbtwin import store
from itbtwin.errors import RecordError


def test_users_are_added_listed_disabled_and_reset_with_an_audit_entry_each(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert cli("db", "upgrade", "--database", db).exit_code == 0
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
    assert cli("db", "upgrade", "--database", db).exit_code == 0
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


def test_serve_demo_records_a_clinic_with_one_account_per_role(tmp_path):
    from itbtwin.cli._serve import DEMO_ROLES, demo_clinic, is_loopback

    url, holidays, passwords = demo_clinic(tmp_path, size=8)
    assert len(holidays) == 2 and set(passwords) == {name for _, name in DEMO_ROLES}
    engine = store.open_engine(url)
    with store.transaction(engine) as session:
        roles = {u.username: u.role for u in store.list_users(session)}
        user = store.authenticate(session, "nurse-demo", passwords["nurse-demo"])
    engine.dispose()
    assert roles == {name: role for role, name in DEMO_ROLES} and user.role == "nurse"
    assert "TOTP secret" in passwords["dr-demo"]
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
