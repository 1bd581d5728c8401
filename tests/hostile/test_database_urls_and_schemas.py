"""Issue 17, h36 sweep of database URLs and of databases that are not itbtwin clinics:
``sqlite:///clinic.db?mode=ro`` (no ``uri=true``) opened the clinic for writing and printed a
Python warning quoting a line of itbtwin; ``?timeout=abc``, ``?check_same_thread=maybe`` and a
PostgreSQL port ``abc`` ended in a ``ValueError`` traceback; `db upgrade` added the clinic's
tables to another program's SQLite database, and on a clinic whose version table was removed
ended in "table patient already exists"; `db status` told a newer itbtwin's clinic to run
`itbtwin db upgrade`."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from itbtwin.errors import RecordError


def _tables(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'"))


def _clinic(cli, tmp_path: Path) -> Path:
    path = tmp_path / "clinic.db"
    assert cli("db", "upgrade", "--database", f"sqlite:///{path}").exit_code == 0
    return path


def test_issue_17_a_sqlite_argument_that_would_be_ignored_is_refused(cli, tmp_path):
    path = _clinic(cli, tmp_path)
    before = path.read_bytes()
    result = cli("patient", "list", "--database", f"sqlite:///{path}?mode=ro")
    assert isinstance(result.exception, RecordError), result.output
    assert str(result.exception) == (
        f"SQLite would ignore mode in 'sqlite:///{path}?mode=ro': its own arguments are read "
        "only in a file URI, e.g. sqlite:///file:clinic.db?mode=ro&uri=true"
    )
    assert path.read_bytes() == before


def test_issue_17_a_file_uri_keeps_sqlite_s_own_arguments(cli, tmp_path):
    path = _clinic(cli, tmp_path)
    result = cli("patient", "list", "--database", f"sqlite:///file:{path}?mode=ro&uri=true")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///{path}?timeout=abc", "could not convert string to float: 'abc'"),
        ("sqlite:///{path}?check_same_thread=maybe", "String is not true/false: 'maybe'"),
        (
            "postgresql+psycopg://nurse@localhost:abc/clinic",
            "not a database URL: 'postgresql+psycopg://nurse@localhost:abc/clinic'",
        ),
    ],
)
def test_issue_17_a_url_argument_of_the_wrong_kind_is_one_line(cli, tmp_path, url, message):
    path = _clinic(cli, tmp_path)
    result = cli("patient", "list", "--database", url.format(path=path))
    assert isinstance(result.exception, RecordError), result.output
    assert message in str(result.exception)


@pytest.mark.parametrize("command", [("db", "upgrade"), ("db", "status"), ("patient", "list")])
def test_issue_17_another_program_s_database_is_not_made_a_clinic(cli, tmp_path, command):
    path = tmp_path / "notes.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE note (body TEXT)")
        db.commit()
    result = cli(*command, "--database", f"sqlite:///{path}")
    assert isinstance(result.exception, RecordError), result.output
    assert str(result.exception).startswith(
        f"the database 'sqlite:///{path}' holds tables (note) but no itbtwin schema version: it "
        "is another program's database"
    )
    assert _tables(path) == ["note"]


def test_issue_17_a_clinic_without_its_version_table_is_one_line(cli, tmp_path):
    path = _clinic(cli, tmp_path)
    with closing(sqlite3.connect(path)) as db:
        db.execute("DROP TABLE alembic_version")
        db.commit()
    tables = _tables(path)
    result = cli("db", "upgrade", "--database", f"sqlite:///{path}")
    assert isinstance(result.exception, RecordError), result.output
    assert "or a clinic whose version table was removed" in str(result.exception)
    assert _tables(path) == tables


def test_issue_17_db_status_of_a_newer_schema_says_so(cli, tmp_path):
    path = _clinic(cli, tmp_path)
    with closing(sqlite3.connect(path)) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_future'")
        db.commit()
    result = cli("db", "status", "--database", f"sqlite:///{path}")
    assert isinstance(result.exception, RecordError), result.output
    assert "was written by a newer itbtwin (schema 9999_future" in str(result.exception)


def test_issue_17_an_empty_database_is_still_created_by_db_upgrade(cli, tmp_path):
    path = tmp_path / "new.db"
    result = cli("db", "upgrade", "--database", f"sqlite:///{path}")
    assert result.exit_code == 0, result.output
    assert "patient" in _tables(path)
