"""The clinic's data is protected (issue 17 points 1, 2, 5 and 6): private files, no clinic created
by a command that records, clear refusals of damaged or newer databases, backup and restore that
check before they write, an audit chain that finds a removed or edited entry, a full disk and a
failed audit write that change nothing."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from itbtwin import store
from itbtwin.errors import RecordError

TODAY = date(2026, 12, 1)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _add(url: str, identifier: str) -> None:
    engine = store.open_engine(url)
    with store.transaction(engine) as session:
        store.add_patient(
            session, "nurse", identifier=identifier, birth_date=date(1980, 1, 1), weight_kg=70.0,
            origin="spinal", today=TODAY,
        )  # fmt: skip
    engine.dispose()


def _patients(url: str) -> int:
    engine = store.open_engine(url)
    with store.transaction(engine) as session:
        count = session.scalar(select(func.count(store.Patient.id))) or 0
    engine.dispose()
    return count


@pytest.fixture
def clinic(tmp_path) -> tuple[str, Path]:
    """A SQLite clinic made by `db upgrade`, in a new folder, with two patients."""
    path = tmp_path / "records" / "clinic.db"
    url = f"sqlite:///{path}"
    engine = store.open_engine(url)
    store.upgrade(engine)
    engine.dispose()
    _add(url, "P001")
    _add(url, "P002")
    return url, path


def test_issue_17_a_new_clinic_is_private_to_its_owner(clinic):
    _url, path = clinic
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
    wal = path.with_name(path.name + "-wal")
    if wal.exists():  # SQLite gives its WAL and shared-memory files the database's mode
        assert _mode(wal) == 0o600


def test_issue_17_a_recording_command_never_creates_a_clinic(cli, tmp_path):
    typo = tmp_path / "clinc.db"
    result = cli("patient", "list", "--database", f"sqlite:///{typo}")
    assert isinstance(result.exception, RecordError)
    assert "there is no clinic database" in str(result.exception)
    assert "itbtwin db upgrade" in str(result.exception)
    assert not typo.exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    result = cli("patient", "list", "--database", f"sqlite:///{empty}")
    assert "has no itbtwin records yet" in str(result.exception)
    assert cli("db", "upgrade", "--database", f"sqlite:///{empty}").exit_code == 0
    assert cli("patient", "list", "--database", f"sqlite:///{empty}").exit_code == 0


@pytest.mark.parametrize(
    "content",
    [b"patient,weight\nP001,70\n", b"SQLite format 3\x00" + b"\x00" * 50, bytes(range(256)) * 8],
    ids=["text", "truncated", "random bytes"],
)
def test_issue_17_a_damaged_database_is_a_one_line_refusal(cli, tmp_path, content):
    path = tmp_path / "clinic.db"
    path.write_bytes(content)
    result = cli("patient", "list", "--database", f"sqlite:///{path}")
    assert isinstance(result.exception, RecordError), result.exception
    assert "cannot read the database" in str(result.exception)
    assert "\n" not in str(result.exception)
    assert path.read_bytes() == content


def test_issue_17_a_newer_schema_is_refused_without_suggesting_the_same_upgrade(cli, clinic):
    url, path = clinic
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    for command in (("patient", "list"), ("db", "upgrade")):
        result = cli(*command, "--database", url)
        assert "written by a newer itbtwin" in str(result.exception), command
        assert "run `itbtwin db upgrade`" not in str(result.exception)


def test_issue_17_backup_then_restore_gives_the_clinic_back(cli, clinic, tmp_path):
    url, path = clinic
    copy = tmp_path / "backup.db"
    assert cli("db", "backup", str(copy), "--database", url).exit_code == 0
    assert _mode(copy) == 0o600 and _patients(f"sqlite:///{copy}") == 2
    refused = cli("db", "backup", str(copy), "--database", url)
    assert "never overwrites" in str(refused.exception)
    _add(url, "P003")
    refused = cli("db", "restore", str(copy), "--database", url)
    assert "never overwrites a file without --force" in str(refused.exception)
    assert _patients(url) == 3
    assert cli("db", "restore", str(copy), "--force", "--database", url).exit_code == 0
    assert _patients(url) == 2
    assert _mode(path) == 0o600


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not a database"), "not a usable SQLite database"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(),
         "not an itbtwin clinic"),
        (lambda p: p.write_bytes(b""), "not an itbtwin clinic"),
    ],
    ids=["text", "another SQLite file", "empty"],
)  # fmt: skip
def test_issue_17_restore_checks_the_backup_before_touching_the_clinic(
    cli, clinic, tmp_path, make, message
):
    url, _path = clinic
    bad = tmp_path / "bad.db"
    make(bad)
    result = cli("db", "restore", str(bad), "--force", "--database", url)
    assert message in str(result.exception)
    assert _patients(url) == 2


def _tamper(path: Path, statement: str) -> None:
    """What someone with the file could do: drop the append-only triggers and change the trail."""
    with sqlite3.connect(path) as db:
        for name in ("audit_no_update", "audit_no_delete", "audit_chain_no_delete"):
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute("PRAGMA foreign_keys=OFF")
        db.execute(statement)


def test_issue_17_db_check_passes_an_intact_clinic(cli, clinic):
    url, _path = clinic
    result = cli("db", "check", "--database", url, "--json")
    assert result.exit_code == 0, result.output
    assert "3 entries intact" in result.output or "entries intact" in result.output


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("UPDATE audit SET why = 'nothing happened' WHERE id = 1", "audit entry 1"),
        ("DELETE FROM audit WHERE id = 1", "audit entry 1 was removed"),
        ("DELETE FROM audit_chain WHERE audit_id = 1", "audit entry 1 has no digest"),
        ("UPDATE audit SET actor = 'someone else' WHERE id = 2", "audit entry 2"),
    ],
)
def test_issue_17_db_check_finds_a_removed_or_edited_audit_entry(cli, clinic, statement, found):
    url, path = clinic
    _tamper(path, statement)
    result = cli("db", "check", "--database", url)
    assert result.exit_code == 1
    assert "PROBLEM  audit chain" in result.output and found in result.output


def test_issue_17_removing_an_entry_and_its_digest_still_breaks_the_next(cli, clinic):
    url, path = clinic
    _tamper(path, "DELETE FROM audit_chain WHERE audit_id = 1")
    _tamper(path, "DELETE FROM audit WHERE id = 1")
    result = cli("db", "check", "--database", url)
    assert result.exit_code == 1 and "audit entry 2" in result.output


def test_issue_17_db_check_says_when_others_can_read_the_file(cli, clinic):
    url, path = clinic
    path.chmod(0o644)
    result = cli("db", "check", "--database", url)
    assert result.exit_code == 1 and "other users of this machine can read" in result.output


def test_issue_17_backup_on_postgresql_says_how(cli):
    result = cli("db", "backup", "x.dump", "--database", "postgresql+psycopg://u@h/db")
    assert "pg_dump" in str(result.exception)


def test_issue_17_a_full_disk_changes_nothing(clinic):
    url, _path = clinic
    engine = store.open_engine(url)

    @event.listens_for(engine, "connect")
    def _small_disk(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    with pytest.raises(Exception, match="full"), store.transaction(engine) as session:
        for n in range(200):
            store.add_patient(
                session, "nurse", identifier=f"Q{n:03d}", birth_date=date(1980, 1, 1),
                weight_kg=70.0, origin="spinal", today=TODAY, diagnosis="x" * 200,
            )  # fmt: skip
            session.flush()
    engine.dispose()
    assert _patients(url) == 2


def test_issue_17_a_change_and_its_audit_entry_are_stored_together_or_not_at_all(
    clinic, monkeypatch
):
    url, _path = clinic
    from itbtwin.store import _audit_chain

    def broken(*_args: object) -> None:
        raise RuntimeError("crash between the record and its audit entry")

    monkeypatch.setattr(_audit_chain, "digest", broken)
    with pytest.raises(RuntimeError):
        _add(url, "P003")
    monkeypatch.undo()
    assert _patients(url) == 2


def test_issue_17_exports_with_patient_data_are_private(cli, clinic, tmp_path):
    url, _path = clinic
    for option, name in (("", "clinic.json"), ("--fhir", "fhir.json"), ("--nonmem", "h.csv")):
        target = tmp_path / name
        args = [option, str(target)] if option else [str(target)]
        assert cli("export", *args, "--database", url).exit_code == 0, name
        assert _mode(target) == 0o600, name


def test_issue_17_every_write_is_chained_whichever_module_is_imported_first(tmp_path):
    """The store exports lazily: a fresh process that only adds a patient still chains its
    audit entry (the listener registers with the tables, not with `store.verify_chain`)."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    script = (
        "from datetime import date; from itbtwin import store; "
        f"e = store.open_engine({url!r}); store.upgrade(e); "
        "s = store.transaction(e).__enter__(); "
        "store.add_patient(s, 'nurse', identifier='P9', birth_date=date(1980, 1, 1), "
        "weight_kg=70.0, origin='spinal', today=date(2026, 12, 1)); s.commit()"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    engine = store.open_engine(url)
    with store.transaction(engine) as session:
        chain = store.verify_chain(session)
    engine.dispose()
    assert (chain.entries, chain.broken_at) == (1, None)
