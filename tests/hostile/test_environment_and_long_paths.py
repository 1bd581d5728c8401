"""Issue 17, h36 sweep of the environment and of path lengths: ``ITBTWIN_USER=`` (set, empty)
fell back to the login name without a word, as ``--by ""`` once did; ``ITBTWIN_DATABASE_URL=``
(set, empty: ``$CLINIC`` unset) recorded into the user's own default clinic; a database URL from
the variable that was no URL read "not a database URL: None"; a 300-character file name ended in
an ``OSError`` traceback in nine commands (risk, check-program, refill plan, trial run, db
backup, db upgrade, demo --out, export, --database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.errors import RecordError

PATIENT = ("patient", "add", "P9", "--birth-date", "1980-05-01", "--weight", "75 kg")
EXAMPLE = str(Path(__file__).parents[2] / "examples" / "missed_refill.toml")
LONG = "y" * 300  # ext4, XFS, APFS and NTFS allow 255 bytes a name


def _patients(url: str | None = None) -> int:
    engine = store.open_engine(url)
    with store.transaction(engine) as db:
        count = db.scalar(select(func.count()).select_from(store.Patient))
    engine.dispose()
    return count


@pytest.mark.parametrize("value", ["", "  "])
def test_issue_17_an_empty_itbtwin_user_is_refused_and_nothing_is_stored(cli, monkeypatch, value):
    assert cli("db", "upgrade").exit_code == 0
    monkeypatch.setenv("ITBTWIN_USER", value)
    result = cli(*PATIENT, "--origin", "spinal")
    assert isinstance(result.exception, RecordError), result.output
    assert "ITBTWIN_USER is set but empty" in str(result.exception)
    assert _patients() == 0


def test_issue_17_an_unset_itbtwin_user_is_the_login_name(cli, monkeypatch):
    assert cli("db", "upgrade").exit_code == 0
    monkeypatch.delenv("ITBTWIN_USER")
    assert cli(*PATIENT, "--origin", "spinal").exit_code == 0
    assert _patients() == 1


@pytest.mark.parametrize("value", ["", " "])
def test_issue_17_an_empty_database_variable_is_refused_not_read_as_the_default_clinic(
    cli, monkeypatch, tmp_path, value
):
    """The default clinic (in the user data directory) exists: nothing is recorded there."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("ITBTWIN_DATABASE_URL")
    default = f"sqlite:///{tmp_path / 'itbtwin' / 'clinic.db'}"
    assert cli("db", "upgrade", "--database", default).exit_code == 0
    monkeypatch.setenv("ITBTWIN_DATABASE_URL", value)
    result = cli(*PATIENT, "--origin", "spinal")
    assert isinstance(result.exception, RecordError), result.output
    assert "ITBTWIN_DATABASE_URL is set but empty" in str(result.exception)
    assert _patients(default) == 0


def test_issue_17_a_database_variable_that_is_no_url_is_named_in_the_error(cli, monkeypatch):
    monkeypatch.setenv("ITBTWIN_DATABASE_URL", "clinic.db")
    result = cli("patient", "list")
    assert isinstance(result.exception, RecordError), result.output
    assert str(result.exception) == "not a database URL: 'clinic.db'"


def _itbtwin(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed command's error boundary (`cli.main`), as a user runs it."""
    code = "from itbtwin.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=dict(os.environ, COLUMNS="300"),
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [
        ("risk", LONG),
        ("check-program", LONG + ".toml", "--daily-dose", "300 mcg/day"),
        ("trial", "run", LONG + ".toml"),
        ("db", "backup", LONG + ".db"),
        ("patient", "list", "--database", f"sqlite:///{LONG}.db"),
        ("demo", "--out", LONG),
        ("export", LONG + ".json"),
        ("report", "scenario", EXAMPLE, "--out", f"{'z' * 5000}/r.html"),
    ],
)
def test_issue_17_a_path_too_long_for_the_file_system_is_one_line_and_exit_2(
    cli, tmp_path, command
):
    assert cli("db", "upgrade").exit_code == 0  # the clinic db backup would copy
    before = sorted(tmp_path.iterdir())
    result = _itbtwin(*command, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: the path '")
    assert line.endswith(
        "…' is too long for this system (a name in it is longer than the file system allows, "
        "usually 255 bytes): give a shorter one"
    )
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("place", "kind"), [("/dev/null", "a device"), ("pipe.db", "a named pipe")]
)
@pytest.mark.parametrize(
    "command", [("db", "status"), ("db", "upgrade"), ("db", "backup", "b.db"), ("patient", "list")]
)
def test_issue_17_a_database_that_is_a_device_or_a_pipe_is_refused(
    cli, tmp_path, monkeypatch, place, kind, command
):
    """/dev/null read as an empty clinic ("schema none") and `db upgrade` on it ended in a
    "disk I/O error" traceback; `db backup` of a named pipe waited for ever."""
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "pipe.db")
    result = cli(*command, "--database", f"sqlite:///{place}")
    assert isinstance(result.exception, RecordError), result.output
    assert str(result.exception) == (
        f"the database {place!r} is {kind}, not a file: give the clinic's SQLite file"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.db"]
