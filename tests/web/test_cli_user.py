"""`itbtwin user add|list|disable|reset-password|end-sessions` (issue 15, issue 17 pt 7)."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest

from itbtwin import store
from itbtwin.errors import RecordError


def test_users_are_added_listed_disabled_and_reset_with_an_audit_entry_each(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert cli("db", "upgrade", "--database", db).exit_code == 0
    added = cli("user", "add", "nurse-x", "--role", "nurse", "--generate", "--database", db)
    assert added.exit_code == 0 and "password (shown once):" in added.output
    assert "it is temporary" in added.output and "authenticator app" in added.output
    doctor = cli("user", "add", "dr-x", "--role", "physician", "--generate", "--database", db)
    assert doctor.exit_code == 0 and "TOTP secret" not in doctor.output  # enrolled at sign-in
    listed = cli("user", "list", "--json", "--database", db)
    assert '"username": "dr-x"' in listed.output and '"totp": false' in listed.output
    assert '"temporary_password_until": "20' in listed.output
    assert "temporary until" in cli("user", "list", "--database", db).output
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


def test_a_common_password_or_a_bad_lifetime_is_refused_on_the_cli_and_nobody_is_added(
    cli, tmp_path, monkeypatch
):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert cli("db", "upgrade", "--database", db).exit_code == 0
    monkeypatch.setattr("typer.prompt", lambda *a, **k: "Qwerty123456789")
    common = cli("user", "add", "nurse-z", "--role", "nurse", "--database", db)
    assert "most common passwords" in str(common.exception)
    for lifetime in ("30 min", "31 day", "72"):
        bad = cli("user", "add", "nurse-z", "--role", "nurse", "--generate", "--valid-for",
                  lifetime, "--database", db)  # fmt: skip
        assert bad.exit_code != 0 and "nurse-z" not in bad.output, lifetime
    assert '"users": []' in cli("user", "list", "--json", "--database", db).output


def test_a_reset_password_is_temporary_for_the_time_given_and_the_app_is_enrolled_again(
    cli, tmp_path
):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert cli("db", "upgrade", "--database", db).exit_code == 0
    assert (
        cli("user", "add", "nurse-x", "--role", "nurse", "--generate", "--database", db).exit_code
        == 0
    )
    engine = store.open_engine(db)
    with store.transaction(engine) as session:
        user = store.find_user(session, "nurse-x")
        user.totp_secret, user.password_temporary_until = pyotp.random_base32(), None
    reset = cli("user", "reset-password", "nurse-x", "--generate", "--valid-for", "2 day",
                "--database", db)  # fmt: skip
    assert reset.exit_code == 0 and "it is temporary" in reset.output
    with store.transaction(engine) as session:
        user = store.find_user(session, "nurse-x")
        lifetime = user.password_temporary_until - store.audit_trail(session, "user")[-1].at
        assert user.totp_secret is None and store.pending_steps(user) == (
            "password",
            "authenticator",
        )
    engine.dispose()
    assert abs(lifetime - timedelta(days=2)) < timedelta(minutes=1)


def test_a_password_shorter_than_12_characters_is_refused():
    engine = store.open_engine("sqlite://")
    store.upgrade(engine)
    with (
        pytest.raises(RecordError, match="at least 12 characters"),
        store.transaction(engine) as session,
    ):
        store.add_user(session, "admin", "nurse-y", "nurse", "short-pw", temporary=False)


def test_serve_demo_records_a_clinic_with_one_account_per_role(tmp_path):
    from itbtwin.cli._serve import DEMO_ROLES, demo_clinic, is_loopback

    url, holidays, passwords = demo_clinic(tmp_path, size=8)
    assert len(holidays) == 2 and set(passwords) == {name for _, name in DEMO_ROLES}
    engine = store.open_engine(url)
    printed = passwords["nurse-demo"]
    secret = re.search(r"TOTP secret (\w+)", printed).group(1)
    with store.transaction(engine) as session:
        roles = {u.username: u.role for u in store.list_users(session)}
        pending = [store.pending_steps(u) for u in store.list_users(session)]
        code = pyotp.TOTP(secret).now()
        user = store.authenticate(session, "nurse-demo", printed.split()[0], code)
    engine.dispose()
    assert roles == {name: role for role, name in DEMO_ROLES} and user.role == "nurse"
    assert pending == [(), (), ()]  # a newcomer signs in at once: own password, app enrolled
    assert all("TOTP secret" in text for text in passwords.values())
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_serve_asks_a_second_factor_of_every_role_unless_the_clinic_names_fewer(cli):
    from itbtwin.store import second_factor_roles

    assert second_factor_roles(",".join(store.MFA_ROLES)) == ("physician", "nurse", "researcher")
    assert second_factor_roles("physician, nurse") == ("physician", "nurse")
    assert second_factor_roles("none") == ()
    refused = cli("serve", "--second-factor", "doctor")
    assert refused.exit_code != 0 and "expected roles among" in str(refused.exception)
