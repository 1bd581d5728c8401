"""Issue 17, h29 sweep of `--database`: a URL of no database itbtwin uses (``file://``) leaked
SQLAlchemy's "Can't load plugin"; a PostgreSQL host that does not resolve was told to restore a
file backup (with Python's "[Errno -2]"); `db check` on a text file or a folder ended in an
sqlite3 traceback."""

from __future__ import annotations

import pytest

from itbtwin.errors import RecordError


@pytest.mark.parametrize("url", ["file:///tmp/clinic.db", "clinic://host/records"])
def test_issue_17_a_url_of_no_database_itbtwin_uses_says_what_to_give(cli, url):
    result = cli("patient", "list", "--database", url)
    assert isinstance(result.exception, RecordError), result.output
    message = str(result.exception)
    assert "is not a database itbtwin can use: give sqlite:///PATH or postgresql" in message
    assert "plugin" not in message


def test_issue_17_an_unknown_database_host_is_not_told_to_restore_a_file(cli):
    url = "postgresql+psycopg://itbtwin:secret@no.such.host.invalid:5432/clinic"
    result = cli("patient", "list", "--database", url)
    assert isinstance(result.exception, RecordError), result.output
    message = str(result.exception)
    assert message.startswith("cannot reach the database 'postgresql+psycopg://itbtwin:***@")
    assert "check the host, port, user, password and database name" in message
    assert "db restore" not in message and "Errno" not in message and "secret" not in message


def test_issue_17_db_check_of_a_file_that_is_no_database_is_one_line(cli, tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("not a database\n" * 100)
    result = cli("db", "check", "--database", f"sqlite:///{text}")
    assert isinstance(result.exception, RecordError), result.output
    assert "file is not a database" in str(result.exception)
    assert "put a backup back with `itbtwin db restore BACKUP`" in str(result.exception)


def test_issue_17_db_check_of_a_folder_is_one_line(cli, tmp_path):
    result = cli("db", "check", "--database", f"sqlite:///{tmp_path}")
    assert isinstance(result.exception, RecordError), result.output
    assert str(result.exception) == (
        f"the database {str(tmp_path)!r} is a folder, not a file: give the clinic's SQLite file"
    )


def test_issue_17_a_backup_the_system_refuses_says_why_in_words(cli, tmp_path):
    clinic = f"sqlite:///{tmp_path / 'clinic.db'}"
    cli("db", "upgrade", "--database", clinic)
    result = cli("db", "backup", "/proc/itbtwin-backup.db", "--database", clinic)
    assert isinstance(result.exception, RecordError), result.output
    message = str(result.exception)
    assert message.startswith("cannot write the backup '/proc/itbtwin-backup.db': ")
    assert "Errno" not in message and "partial" not in message
