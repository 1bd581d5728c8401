"""Issue 17 point 4 (h37): `db restore`, `db backup` and `db check` given a hostile file (empty,
truncated, not SQLite, another program's SQLite, a newer schema, a broken audit chain, a link to
the clinic itself, a folder, a pipe) refuse in one line and leave every file as it was.

Before: restoring the clinic's own file (or a link to it) emptied the clinic and then waited
forever; a SQLite file naming an itbtwin schema without its tables was a traceback from
`restore` and `check`; a backup written to a dangling link created the link's target.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.errors import RecordError
from store_clinic import add_patient_at, patient_count, two_patient_clinic

TODAY = date(2026, 12, 1)


@pytest.fixture
def clinic(tmp_path) -> tuple[str, Path]:
    """A SQLite clinic with two patients, alone in its folder."""
    return two_patient_clinic(tmp_path)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file in the folder with its bytes: what "touched nothing" compares."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _backup(url: str, folder: Path, name: str = "backup.db") -> Path:
    path = folder / name
    store.backup(url, path)
    return path


def _edit_backup(url: str, folder: Path, *statements: str) -> Path:
    """A backup changed as someone holding the file could: triggers dropped, rows edited."""
    path = _backup(url, folder)
    with sqlite3.connect(path) as db:
        for name in ("audit_no_update", "audit_no_delete", "audit_chain_no_delete"):
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute("PRAGMA foreign_keys=OFF")
        for statement in statements:
            db.execute(statement)
    return path


def _foreign(folder: Path, *statements: str) -> Path:
    path = folder / "other-program.db"
    with sqlite3.connect(path) as db:
        for statement in statements:
            db.execute(statement)
    return path


def _written(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _truncated(url: str, folder: Path) -> Path:
    path = _backup(url, folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _pipe(folder: Path) -> Path:
    path = folder / "pipe.db"
    os.mkfifo(path)
    return path


def _folder(folder: Path) -> Path:
    path = folder / "folder.db"
    path.mkdir()
    return path


def _link_to_clinic(_url: str, clinic_path: Path, folder: Path) -> Path:
    path = folder / "link.db"
    path.symlink_to(clinic_path)
    return path


KNOWN_SCHEMA = (
    "CREATE TABLE alembic_version (version_num TEXT)",
    "INSERT INTO alembic_version VALUES ('0011')",
)
HOSTILE: dict[str, tuple[Callable[[str, Path, Path], Path], str]] = {
    "empty": (lambda u, c, f: _written(f / "e.db", b""), "not an itbtwin clinic"),
    "truncated": (lambda u, c, f: _truncated(u, f), "not a usable SQLite database"),
    "SQLite header only": (
        lambda u, c, f: _written(f / "h.db", b"SQLite format 3\x00" + bytes(84)),
        "not a usable SQLite database",
    ),
    "text": (lambda u, c, f: _written(f / "t.db", b"P001,70\n"), "not a usable"),
    "random bytes": (
        lambda u, c, f: _written(f / "r.db", bytes(range(256)) * 16),
        "not a usable SQLite database",
    ),
    "another program's SQLite": (
        lambda u, c, f: _foreign(f, "CREATE TABLE orders (id, total)"),
        "a SQLite file but not an itbtwin clinic",
    ),
    "another program naming an itbtwin schema": (
        lambda u, c, f: _foreign(f, *KNOWN_SCHEMA),
        "says schema 0011 but lacks its tables audit, audit_chain, patient",
    ),
    "an itbtwin schema with other columns": (
        lambda u, c, f: _foreign(
            f,
            *KNOWN_SCHEMA,
            "CREATE TABLE patient (x)",
            "CREATE TABLE audit (id, at)",
            "INSERT INTO audit VALUES (1, 'yesterday')",
            "CREATE TABLE audit_chain (audit_id)",
        ),
        "cannot be read as an itbtwin clinic's: no such column",
    ),
    "newer schema": (
        lambda u, c, f: _edit_backup(u, f, "UPDATE alembic_version SET version_num = '9999'"),
        "has schema 9999, which this itbtwin does not know",
    ),
    "edited audit entry": (
        lambda u, c, f: _edit_backup(u, f, "UPDATE audit SET why = 'nothing' WHERE id = 1"),
        "audit trail is not intact: audit entry 1",
    ),
    "removed audit entry": (
        lambda u, c, f: _edit_backup(u, f, "DELETE FROM audit WHERE id = 2"),
        "audit trail is not intact: audit entry 2 was removed",
    ),
    "the clinic itself": (lambda u, c, f: c, "is the clinic's database itself"),
    "a link to the clinic": (_link_to_clinic, "is the clinic's database itself"),
    "a folder": (lambda u, c, f: _folder(f), "is a folder, not a file"),
    "a named pipe": (lambda u, c, f: _pipe(f), "is a named pipe, not a file"),
    "a missing file": (lambda u, c, f: f / "missing.db", "there is no backup file"),
}


@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_issue_17_restore_of_a_hostile_backup_is_one_line_and_touches_nothing(
    cli, clinic, tmp_path, hostile
):
    url, path = clinic
    make, says = HOSTILE[hostile]
    source = make(url, path, tmp_path)
    before = _files(path.parent), _files(tmp_path)
    result = cli("db", "restore", str(source), "--force", "--database", url)
    assert isinstance(result.exception, RecordError), result.exception
    message = str(result.exception)
    assert says in message and "\n" not in message
    assert (_files(path.parent), _files(tmp_path)) == before


def test_issue_17_restore_from_a_link_to_a_backup_reads_the_backup(cli, clinic, tmp_path):
    url, _path = clinic
    link = tmp_path / "latest.db"
    link.symlink_to(_backup(url, tmp_path))
    add_patient_at(url, "P003")
    assert cli("db", "restore", str(link), "--force", "--database", url).exit_code == 0
    assert patient_count(url) == 2 and link.is_symlink()


def test_issue_17_a_program_holding_the_clinic_open_reads_the_restored_records(clinic, tmp_path):
    """The backup is copied into the open database (SQLite's backup API), not renamed over it:
    `itbtwin serve` would otherwise go on writing to a file nobody reads any more."""
    url, _path = clinic
    backup = _backup(url, tmp_path)
    engine = store.open_engine(url)
    try:
        with engine.connect() as connection:  # held open across the restore, as a server would
            add_patient_at(url, "P003")
            assert connection.scalar(select(func.count(store.Patient.id))) == 3
            connection.rollback()
            store.restore(url, backup, force=True)
            assert connection.scalar(select(func.count(store.Patient.id))) == 2
    finally:
        engine.dispose()
    check = {f.check: f.ok for f in store.check_database(url)}
    assert all(check.values()), check


def test_issue_17_a_damaged_clinic_is_replaced_whole_by_a_good_backup(clinic, tmp_path):
    url, path = clinic
    backup = _backup(url, tmp_path)
    path.write_bytes(b"damaged " * 100)
    store.restore(url, backup, force=True)
    assert patient_count(url) == 2 and path.stat().st_mode & 0o077 == 0


def test_issue_17_a_backup_onto_the_clinic_itself_is_refused_with_force(cli, clinic):
    url, path = clinic
    before = _files(path.parent)
    result = cli("db", "backup", str(path), "--force", "--database", url)
    assert "is the clinic's database itself" in str(result.exception)
    assert _files(path.parent) == before


def test_issue_17_a_backup_over_a_dangling_link_replaces_the_link_not_its_target(clinic, tmp_path):
    url, _path = clinic
    target = tmp_path / "elsewhere" / "planted.db"
    target.parent.mkdir()
    link = tmp_path / "backup.db"
    link.symlink_to(target)
    store.backup(url, link, force=True)
    assert not target.exists() and not link.is_symlink()
    assert patient_count(f"sqlite:///{link}") == 2


def test_issue_17_a_failed_backup_leaves_the_earlier_backup_whole(clinic, tmp_path, monkeypatch):
    url, _path = clinic
    earlier = _backup(url, tmp_path)
    kept = earlier.read_bytes()
    from itbtwin.store import _maintenance

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_maintenance.os, "replace", full_disk)
    with pytest.raises(RecordError, match="No space left on device"):
        store.backup(url, earlier, force=True)
    assert earlier.read_bytes() == kept and sorted(p.name for p in tmp_path.iterdir()) == [
        "backup.db",
        "records",
    ]


CHECKED = [
    "empty",
    "truncated",
    "text",
    "another program's SQLite",
    "another program naming an itbtwin schema",
    "an itbtwin schema with other columns",
]


@pytest.mark.parametrize("hostile", CHECKED)
def test_issue_17_db_check_of_a_hostile_file_says_what_is_wrong_without_a_traceback(
    cli, clinic, tmp_path, hostile
):
    url, path = clinic
    checked = HOSTILE[hostile][0](url, path, tmp_path)
    result = cli("db", "check", "--database", f"sqlite:///{checked}")
    assert result.exit_code != 0
    if isinstance(result.exception, RecordError):  # unreadable: one line
        assert "\n" not in str(result.exception)
    else:  # readable: the findings name the problem
        assert isinstance(result.exception, SystemExit), result.exception
        assert "PROBLEM  schema" in result.output or "PROBLEM  audit chain" in result.output
        assert "Traceback" not in result.output


def test_issue_17_db_check_does_not_tell_to_upgrade_another_programs_database(cli, tmp_path):
    other = _foreign(tmp_path, "CREATE TABLE orders (id, total)")
    result = cli("db", "check", "--database", f"sqlite:///{other}")
    said = " ".join(f"{result.output} {result.exception}".split())
    assert "another program's" in said and "(orders)" in said
    assert "db upgrade" not in said


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    damage=st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.one_of(st.none(), st.integers(0, 2**20)),
)
@example(damage=[(32, 1)], cut=None)  # a freelist page number: integrity_check said it in 2 lines
def test_issue_17_a_damaged_backup_restores_or_is_refused_touching_nothing(
    clinic, tmp_path_factory, damage, cut
):
    """A real backup with random bytes overwritten and perhaps cut short: SQLite's integrity
    check, the schema and the audit chain refuse it in one line, or it is a sound clinic."""
    url, path = clinic
    folder = tmp_path_factory.mktemp("damaged")
    backup = _backup(url, folder)
    data = bytearray(backup.read_bytes())
    for offset, byte in damage:
        data[offset % len(data)] = byte
    backup.write_bytes(bytes(data[:cut] if cut is not None else data))
    before = _files(path.parent)
    try:
        store.restore(url, backup, force=True)
    except RecordError as err:
        assert "\n" not in str(err)
        assert _files(path.parent) == before


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000), header=st.booleans())
def test_issue_17_random_bytes_as_a_backup_are_refused_touching_nothing(
    clinic, tmp_path_factory, data, header
):
    url, path = clinic
    backup = tmp_path_factory.mktemp("random") / "backup.db"
    backup.write_bytes((b"SQLite format 3\x00" if header else b"") + data)
    before = _files(path.parent)
    with pytest.raises(RecordError) as refused:
        store.restore(url, backup, force=True)
    assert "\n" not in str(refused.value) and _files(path.parent) == before


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    damage=st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.one_of(st.none(), st.integers(0, 2**20)),
)
def test_issue_17_db_check_of_a_damaged_clinic_is_findings_or_one_line(
    clinic, tmp_path_factory, damage, cut
):
    """The clinic's own file with random bytes overwritten: `db check` lists what it finds, or
    refuses in one line when the file cannot be read at all; it never ends in a traceback."""
    url, _path = clinic
    copy = _backup(url, tmp_path_factory.mktemp("check"), "clinic.db")
    data = bytearray(copy.read_bytes())
    for offset, byte in damage:
        data[offset % len(data)] = byte
    copy.write_bytes(bytes(data[:cut] if cut is not None else data))
    try:
        findings = store.check_database(f"sqlite:///{copy}")
    except RecordError as err:
        assert "\n" not in str(err)
    else:
        assert all("\n" not in f.detail for f in findings)


def test_issue_17_db_check_of_a_newer_schema_does_not_tell_to_upgrade(cli, clinic):
    """`db upgrade` refuses a schema it does not know: `db check` said to run it."""
    url, path = clinic
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    result = cli("db", "check", "--database", url)
    said = " ".join(result.output.split())
    assert result.exit_code == 1 and "PROBLEM schema: revision 9999; written by a newer" in said
    assert "db upgrade" not in said


def test_issue_17_a_restore_while_another_program_writes_is_refused_and_changes_nothing(
    clinic, tmp_path, monkeypatch
):
    """A clinic another program is writing to is waited for, then refused: never replaced."""
    from itbtwin.store import _maintenance

    url, path = clinic
    backup = _backup(url, tmp_path)
    add_patient_at(url, "P003")
    monkeypatch.setattr(_maintenance, "BUSY_WAIT_S", 0.2)
    writer = sqlite3.connect(path)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a save in progress does
        with pytest.raises(RecordError, match="is locked: another program"):
            store.restore(url, backup, force=True)
    finally:
        writer.rollback()
        writer.close()
    assert patient_count(url) == 3


def test_issue_17_a_damaged_byte_in_the_schema_text_is_one_line(cli, clinic, tmp_path):
    """A byte that is not UTF-8 in the schema's text (found by the property test above): SQLite
    quotes the damaged schema in its message, which Python cannot decode (UnicodeDecodeError);
    `db check`, `db restore` and any command on the file refuse it in one line."""
    url, _path = clinic
    folder = tmp_path / "damaged"
    folder.mkdir()
    copy = _backup(url, folder)
    data = bytearray(copy.read_bytes())
    name = data.index(b"tablepatientpatient") + len("tablepa")  # the schema row's name
    data[name] = 0xB5
    statement = data.index(b"CREATE TABLE patient") + len("CREATE TABLE pa")  # and its SQL
    data[statement] = 0xB5
    copy.write_bytes(bytes(data))
    with pytest.raises(RecordError) as refused:
        store.check_database(f"sqlite:///{copy}")
    assert "its schema is damaged (text that is not UTF-8)" in str(refused.value)
    with pytest.raises(RecordError) as refused:
        store.restore(url, copy, force=True)
    assert "is not a usable SQLite database: its schema is damaged" in str(refused.value)
    result = cli("patient", "list", "--database", f"sqlite:///{copy}")
    assert isinstance(result.exception, RecordError), result.output
    assert "cannot read the database" in str(result.exception)
    assert "its schema is damaged (text that is not UTF-8)" in str(result.exception)
