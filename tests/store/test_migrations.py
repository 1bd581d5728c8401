"""Migrations: create from empty, upgrade from the previous revision with data in it, run twice;
the audit trail is append-only in the database itself."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from itbtwin import store
from itbtwin.errors import RecordError


def test_upgrade_from_empty_creates_every_table_and_is_safe_twice(engine):
    assert store.current_revision(engine) is None
    head = store.head_revision()
    assert store.upgrade(engine) == head
    assert store.upgrade(engine) == head
    tables = set(inspect(engine).get_table_names())
    expected = {"patient", "pump", "revision", "program_version", "refill", "assessment"}
    expected |= {"clinic_settings"}
    assert expected | {"event", "audit", "alembic_version"} <= tables


def test_upgrade_from_the_previous_revision_keeps_the_records(engine):
    store.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit (at, actor, action, entity, what, why) "
                "VALUES ('2026-01-01 10:00:00', 'nurse', 'patient.add', 'patient', '{}', '')"
            )
        )
        connection.execute(text("UPDATE audit SET why = 'still editable at 0001'"))
    assert store.upgrade(engine) == store.head_revision()
    with store.transaction(engine) as session:
        (entry,) = store.audit_trail(session)
        assert (entry.actor, entry.why) == ("nurse", "still editable at 0001")
    for statement in ("UPDATE audit SET why = 'rewritten'", "DELETE FROM audit"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(text("audit"))) == 1


def test_a_database_behind_the_code_is_refused_until_upgraded(engine):
    with pytest.raises(RecordError, match="has no itbtwin schema"):
        store.require_current(engine)
    store.upgrade(engine, "0001")
    with pytest.raises(RecordError, match=r"is at schema 0001; run `itbtwin db upgrade`"):
        store.require_current(engine)
    store.upgrade(engine)
    store.require_current(engine)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = store.open_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_the_default_database_lives_in_the_user_data_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("ITBTWIN_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert store.default_url() == f"sqlite:///{tmp_path / 'itbtwin' / 'clinic.db'}"


def test_db_upgrade_command_twice(cli, database_url):
    first = cli("db", "upgrade", "--database", database_url, "--json")
    second = cli("db", "upgrade", "--database", database_url, "--json")
    assert first.exit_code == second.exit_code == 0
    head = store.head_revision()
    assert f'"from": null, "to": "{head}"' in first.stdout
    assert f'"from": "{head}", "to": "{head}"' in second.stdout
