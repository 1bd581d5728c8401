"""The clinic's data is protected (issue 17 points 1, 2, 5 and 6): private files, no clinic created
by a command that records, clear refusals of damaged or newer databases, backup and restore that
check before they write, an audit chain that finds a removed or edited entry, a full disk and a
failed audit write that change nothing."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import stat
import subprocess
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url

from itbtwin import store
from itbtwin.errors import RecordError
from store_clinic import add_patient_at, patient_count, two_patient_clinic

TODAY = date(2026, 12, 1)
POSTGRES_URL = os.environ.get("ITBTWIN_TEST_POSTGRES_URL")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def clinic(tmp_path) -> tuple[str, Path]:
    """A SQLite clinic made by `db upgrade`, in a new folder, with two patients."""
    return two_patient_clinic(tmp_path)


@pytest.fixture
def any_clinic(database_url) -> str:
    """The same two patients on each kind of database (SQLite, and PostgreSQL when it is set)."""
    engine = store.open_engine(database_url)
    store.upgrade(engine)
    engine.dispose()
    add_patient_at(database_url, "P001")
    add_patient_at(database_url, "P002")
    return database_url


def _sql(url: str, *statements: str) -> None:
    engine = store.open_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


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


def test_issue_17_a_newer_schema_is_refused_without_suggesting_the_same_upgrade(cli, any_clinic):
    url = any_clinic
    _sql(url, "UPDATE alembic_version SET version_num = '9999'")
    for command in (("patient", "list"), ("db", "upgrade")):
        result = cli(*command, "--database", url)
        assert "written by a newer itbtwin" in str(result.exception), command
        assert "run `itbtwin db upgrade`" not in str(result.exception)


def test_issue_17_backup_then_restore_gives_the_clinic_back(cli, clinic, tmp_path):
    url, path = clinic
    copy = tmp_path / "backup.db"
    assert cli("db", "backup", str(copy), "--database", url).exit_code == 0
    assert _mode(copy) == 0o600 and patient_count(f"sqlite:///{copy}") == 2
    refused = cli("db", "backup", str(copy), "--database", url)
    assert "never overwrites" in str(refused.exception)
    add_patient_at(url, "P003")
    refused = cli("db", "restore", str(copy), "--database", url)
    assert "never overwrites a file without --force" in str(refused.exception)
    assert patient_count(url) == 3
    assert cli("db", "restore", str(copy), "--force", "--database", url).exit_code == 0
    assert patient_count(url) == 2
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
    assert patient_count(url) == 2


def _tamper(url: str, statement: str) -> None:
    """What someone with the file, or the tables' owner on PostgreSQL, could do: drop the
    append-only triggers and the chain's foreign key, and change the trail."""
    path = store.sqlite_file(url)
    if path is not None:
        with sqlite3.connect(path) as db:
            for name in ("audit_no_update", "audit_no_delete", "audit_chain_no_delete"):
                db.execute(f"DROP TRIGGER IF EXISTS {name}")
            db.execute("PRAGMA foreign_keys=OFF")
            db.execute(statement)
        return
    engine = store.open_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_append_only ON audit")
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_chain_append_only ON audit_chain")
        keys = connection.exec_driver_sql(
            "SELECT conname FROM pg_constraint "
            "WHERE conrelid = 'audit_chain'::regclass AND contype = 'f'"
        ).scalars()
        for key in list(keys):
            connection.exec_driver_sql(f"ALTER TABLE audit_chain DROP CONSTRAINT {key}")
        connection.exec_driver_sql(statement)
    engine.dispose()


def test_issue_17_db_check_passes_an_intact_clinic(cli, any_clinic):
    url = any_clinic
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
def test_issue_17_db_check_finds_a_removed_or_edited_audit_entry(cli, any_clinic, statement, found):
    url = any_clinic
    _tamper(url, statement)
    result = cli("db", "check", "--database", url)
    assert result.exit_code == 1
    assert "PROBLEM  audit chain" in result.output and found in result.output


def test_issue_17_removing_an_entry_and_its_digest_still_breaks_the_next(cli, any_clinic):
    url = any_clinic
    _tamper(url, "DELETE FROM audit_chain WHERE audit_id = 1")
    _tamper(url, "DELETE FROM audit WHERE id = 1")
    result = cli("db", "check", "--database", url)
    assert result.exit_code == 1 and "audit entry 2" in result.output


def test_issue_17_db_check_says_when_others_can_read_the_file(cli, clinic):
    url, path = clinic
    path.chmod(0o644)
    result = cli("db", "check", "--database", url)
    assert result.exit_code == 1 and "other users of this machine can read" in result.output


def _printed_command(result) -> list[str]:  # type: ignore[no-untyped-def]
    """The command a refusal quotes between backticks, as words."""
    assert isinstance(result.exception, RecordError), result.exception
    return shlex.split(str(result.exception).split("`")[1])


def test_issue_17_backup_and_restore_on_postgresql_say_how_without_the_password(cli):
    url = "postgresql+psycopg://nurse:secret@db.example:5433/clinic"
    backup = _printed_command(cli("db", "backup", "my backup.dump", "--database", url))
    libpq = "postgresql://nurse@db.example:5433/clinic"
    assert backup == ["pg_dump", "--format=custom", "--file", "my backup.dump", libpq]
    restore = _printed_command(cli("db", "restore", "x.dump", "--database", url))
    assert restore == ["pg_restore", "--clean", "--if-exists", "--dbname", libpq, "x.dump"]


@pytest.mark.skipif(POSTGRES_URL is None, reason="ITBTWIN_TEST_POSTGRES_URL is not set")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="PostgreSQL's pg_dump is not installed")
def test_issue_17_the_pg_dump_and_pg_restore_commands_given_put_the_clinic_back(cli, tmp_path):
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    names = [f"itbtwin_backup_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        source, target = (
            make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
            for name in names
        )
        engine = store.open_engine(source)
        store.upgrade(engine)
        engine.dispose()
        add_patient_at(source, "P001")
        add_patient_at(source, "P002")
        dump = tmp_path / "clinic.dump"
        env = {**os.environ, "PGPASSWORD": make_url(POSTGRES_URL).password or ""}
        backup = _printed_command(cli("db", "backup", str(dump), "--database", source))
        subprocess.run(backup, env=env, check=True, capture_output=True)
        restore = _printed_command(cli("db", "restore", str(dump), "--database", target))
        subprocess.run(restore, env=env, check=True, capture_output=True)
        assert patient_count(target) == 2
        result = cli("db", "check", "--database", target)
        assert result.exit_code == 0 and "2 entries intact" in result.output, result.output
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


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
    assert patient_count(url) == 2


def test_issue_17_a_change_and_its_audit_entry_are_stored_together_or_not_at_all(
    any_clinic, monkeypatch
):
    url = any_clinic
    from itbtwin.store import _audit_chain

    def broken(*_args: object) -> None:
        raise RuntimeError("crash between the record and its audit entry")

    monkeypatch.setattr(_audit_chain, "digest", broken)
    with pytest.raises(RuntimeError):
        add_patient_at(url, "P003")
    monkeypatch.undo()
    assert patient_count(url) == 2


def test_issue_17_exports_with_patient_data_are_private(cli, any_clinic, tmp_path):
    url = any_clinic
    for option, name in (("", "clinic.json"), ("--fhir", "fhir.json"), ("--nonmem", "h.csv")):
        target = tmp_path / name
        args = [option, str(target)] if option else [str(target)]
        assert cli("export", *args, "--database", url).exit_code == 0, name
        assert _mode(target) == 0o600, name


def test_issue_17_every_write_is_chained_whichever_module_is_imported_first(database_url):
    """The store exports lazily: a fresh process that only adds a patient still chains its
    audit entry (the listener registers with the tables, not with `store.verify_chain`)."""
    import sys

    url = database_url
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
