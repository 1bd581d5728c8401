"""Backup, restore and check of the clinic's database (issue 17 point 5).

SQLite: `backup` copies the live database with SQLite's online backup API (consistent while others
write), into a new file readable by its owner only; `restore` checks a backup (SQLite's integrity
check, an itbtwin schema this version can read, an intact audit chain) before it replaces the
clinic's database, and never overwrites one without `force`. PostgreSQL has its own tools
(`pg_dump`, `pg_restore`): the commands say how to use them rather than half-doing it. `check`
runs the integrity and foreign-key checks, the schema check, the audit chain and, for a file,
who may read it.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import stat
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.files import writable
from itbtwin.store._audit_chain import ChainCheck, verify_chain
from itbtwin.store._engine import (
    SCHEMA_NOT_TEXT,
    connect_read_only,
    create_private,
    default_url,
    open_engine,
    sqlite_file,
    transaction,
)
from itbtwin.store._migrate import current_revision, head_revision, known_revisions, unreadable
from itbtwin.user_files import not_a_file

PG_DUMP = "pg_dump --format=custom --file {file} {url}"
PG_RESTORE = "pg_restore --clean --if-exists --dbname {url} {file}"
"""PostgreSQL's own backup and restore (postgresql.org/docs/current/app-pgdump.html), filled in
with the clinic's connection as libpq reads it (``postgresql://``, no password: libpq takes it
from ``PGPASSWORD`` or ``~/.pgpass``)."""

BUSY_WAIT_S = 10.0
"""How long a restore waits for a program writing to the clinic (`itbtwin serve` saving a
record) to finish before it refuses; a write takes milliseconds."""


UNREADABLE = (sqlite3.DatabaseError, UnicodeDecodeError)
"""What reading a damaged SQLite file raises: SQLite's errors, and a UnicodeDecodeError when a
damaged byte lands in the schema's text (`store._engine.SCHEMA_NOT_TEXT`)."""


def _damage(err: Exception) -> Exception:
    """Why a damaged file cannot be read, in words where Python's own would name a codec."""
    if isinstance(err, UnicodeDecodeError):
        return sqlite3.DatabaseError(SCHEMA_NOT_TEXT)
    return err


@dataclass(frozen=True)
class Finding:
    """One check of `check_database`: its name, whether it passed, and what was found."""

    check: str
    ok: bool
    detail: str


def _libpq_url(url: str | None) -> str:
    """The database URL as pg_dump and pg_restore read it: SQLAlchemy's ``postgresql+psycopg``
    driver name is not libpq's, and the password is left out of a printed command."""
    parsed = make_url(default_url() if url is None else url)
    keep = ("username", "host", "port", "database", "query")
    libpq = URL.create("postgresql", **{name: getattr(parsed, name) for name in keep})
    return libpq.render_as_string(hide_password=False)


def _clinic_file(url: str | None, what: str, file: Path) -> Path:
    path = sqlite_file(url)
    if path is None:
        tool = PG_DUMP if what == "backup" else PG_RESTORE
        command = tool.format(file=shlex.quote(str(file)), url=shlex.quote(_libpq_url(url)))
        raise RecordError(
            f"itbtwin db {what} works on a SQLite clinic; on PostgreSQL use its own tool: "
            f"`{command}` (docs/records.md)"
        )
    return path


def _refuse_existing(path: Path, force: bool, what: str) -> None:
    if path.exists() and not force:
        raise RecordError(f"{str(path)!r} exists: {what} never overwrites a file without --force")


def _copy(
    source: Path, destination: Path, read: Callable[[Path], sqlite3.Connection] = connect_read_only
) -> None:
    """SQLite's online backup of `source` into a new private file beside `destination`, renamed
    over it once whole: a copy that fails part-way (a full disk) leaves `destination` as it was,
    and a symbolic link at `destination` is replaced, never written through (issue 17). The copy
    keeps no write-ahead log: it is one self-contained file."""
    partial = destination.with_name(f"{destination.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        create_private(partial)
        with closing(read(source)) as src, closing(sqlite3.connect(partial)) as dst:
            _backup_within(src, dst, source)
            dst.execute("PRAGMA journal_mode=DELETE")
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def _read_backup(path: Path) -> sqlite3.Connection:
    """A backup opened read-only without writing beside it (SQLite's ``immutable``: no ``-shm``
    file is made in its folder), unless a write-ahead log lies beside it, which must be read."""
    if Path(f"{path}-wal").exists():
        return connect_read_only(path)
    uri = f"file:{quote(str(path.absolute()))}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _copy_into(source: Path, clinic: Path) -> None:
    """Put `source` into the clinic's SQLite database through SQLite's backup API, one
    transaction on the clinic: all of the backup or, on any failure, the clinic as it was, and
    a program that has the clinic open (`itbtwin serve`) reads the restored records rather than
    writing on to a replaced file. A clinic file that is missing or no SQLite database at all
    is replaced whole (`_copy`)."""
    whole = not clinic.exists()
    if not whole:
        try:
            with closing(connect_read_only(clinic)) as db:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except UnicodeDecodeError:  # a damaged schema: see `UNREADABLE`
            whole = True
        except sqlite3.DatabaseError as err:  # a busy clinic is refused, never replaced
            if err.sqlite_errorname not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
                raise
            whole = True
    if whole:
        log = Path(f"{clinic}-wal")
        if log.exists() and log.stat().st_size:  # changes not yet in the file: someone's work
            raise RecordError(
                f"{str(clinic)!r} has changes in its write-ahead log ({log.name}): close every "
                "itbtwin using the clinic, or remove the damaged database and its -wal and -shm "
                "files, then restore again"
            )
        _copy(source, clinic, _read_backup)
        log.unlink(missing_ok=True)  # empty, and its index would describe the replaced file
        Path(f"{clinic}-shm").unlink(missing_ok=True)
        return
    with (
        closing(_read_backup(source)) as src,
        closing(sqlite3.connect(clinic, timeout=BUSY_WAIT_S)) as dst,
    ):
        _backup_within(src, dst, clinic)


def _backup_within(src: sqlite3.Connection, dst: sqlite3.Connection, busy: Path) -> None:
    """SQLite's backup of `src` into `dst`, refused when `busy` (the clinic) stays locked by
    another program for `BUSY_WAIT_S`: Python's `backup` retries a locked database forever."""
    deadline = time.monotonic() + BUSY_WAIT_S

    def waiting(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise RecordError(
                f"the database {str(busy)!r} is locked: another program (`itbtwin serve`?) is "
                f"writing to it and has not finished in {BUSY_WAIT_S:g} s; try again"
            )

    src.backup(dst, progress=waiting)


def _readable_backup(source: Path, clinic: Path | None = None) -> None:
    """Refuse a backup that is not a file (a folder, a pipe: `user_files.not_a_file`), or that
    is the clinic's own database (under another name, a link or the same path): copying a
    database onto itself empties it first."""
    try:
        kind = not_a_file(source.stat().st_mode)
    except OSError:
        raise RecordError(f"there is no backup file {str(source)!r}") from None
    if kind:
        raise RecordError(f"the backup {str(source)!r} is {kind}, not a file: give a backup file")
    if clinic is not None and clinic.exists() and os.path.samefile(source, clinic):
        raise RecordError(
            f"{str(source)!r} is the clinic's database itself, not a backup of it: give a file "
            "written by `itbtwin db backup`"
        )


def _sound(path: Path) -> str:
    """The itbtwin schema revision of a SQLite file that passes SQLite's integrity check."""
    try:
        with closing(_read_backup(path)) as db:
            integrity = _integrity(db)
            if integrity != "ok":
                raise RecordError(f"{str(path)!r} fails SQLite's integrity check: {integrity}")
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise RecordError(f"{str(path)!r} is a SQLite file but not an itbtwin clinic")
            revision = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except UNREADABLE as err:
        raise RecordError(
            f"{str(path)!r} is not a usable SQLite database: {_damage(err)}"
        ) from None
    if revision is None or revision[0] not in known_revisions():
        found = None if revision is None else revision[0]
        raise RecordError(
            f"{str(path)!r} has schema {found}, which this itbtwin does not know (newest "
            f"{head_revision()}): restore it with the itbtwin that wrote it"
        )
    missing = sorted(_tables_of(revision[0]) - tables)
    if missing:
        raise RecordError(
            f"{str(path)!r} says schema {revision[0]} but lacks its table"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}: it is not an itbtwin clinic"
        )
    return revision[0]


def _why(err: OSError | sqlite3.Error) -> str:
    """Why a copy failed, in words: the system's reason ("Permission denied"), not Python's
    "[Errno 13] Permission denied: 'x.db.partial-123'"; SQLite's message as it is."""
    return (err.strerror if isinstance(err, OSError) else None) or str(err)


def _integrity(db: sqlite3.Connection) -> str:
    """SQLite's integrity check in one line: "ok", or its first problems (it writes one a line,
    "*** in database main ***" first)."""
    found = " ".join(row[0] for row in db.execute("PRAGMA integrity_check(5)"))
    return " ".join(found.replace("*** in database main ***", "").split())[:300]


def _tables_of(revision: str) -> set[str]:
    """Tables every clinic of `revision` has: patients and the audit trail (migration 0001),
    and the audit chain from 0007 on."""
    return {"patient", "audit"} | ({"audit_chain"} if _has_chain(revision) else set())


def _read_chain(session: Session, where: str) -> ChainCheck:
    """The audit chain's check, or a one-line `RecordError` when the tables cannot be read as an
    itbtwin clinic's (a table or a column missing, a time that is not one: another program's
    file that names an itbtwin schema)."""
    try:
        return verify_chain(session)
    except (SQLAlchemyError, ValueError, TypeError) as err:
        reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0][:200]
        raise RecordError(f"{where} cannot be read as an itbtwin clinic's: {reason}") from None


def _intact_chain(path: Path, revision: str) -> None:
    """Refuse a backup whose audit trail breaks its chain or cannot be read (`_read_chain`)."""
    if not _has_chain(revision):
        return
    reader = create_engine("sqlite://", creator=lambda: _read_backup(path))
    try:
        with Session(reader) as session:
            chain = _read_chain(session, f"the audit trail of {str(path)!r}")
    finally:
        reader.dispose()
    if chain.broken_at is not None:
        raise RecordError(f"the backup's audit trail is not intact: {chain.problem}")


def backup(url: str | None, destination: Path, *, force: bool = False) -> dict[str, object]:
    """Copy the clinic's SQLite database to `destination` (0600), checked after the copy."""
    path = _clinic_file(url, "backup", destination)
    if not path.exists():
        raise RecordError(f"there is no clinic database at {str(path)!r} to back up")
    _refuse_existing(destination, force, "a backup")
    writable(destination, "backup")  # a mistyped folder is not made
    if destination.exists() and os.path.samefile(destination, path):
        raise RecordError(
            f"{str(destination)!r} is the clinic's database itself: give the backup another name"
        )
    try:
        _copy(path, destination)
    except (OSError, sqlite3.Error) as err:
        raise RecordError(f"cannot write the backup {str(destination)!r}: {_why(err)}") from None
    revision = _sound(destination)
    return {"database": str(path), "backup": str(destination), "revision": revision,
            "bytes": destination.stat().st_size}  # fmt: skip


def restore(url: str | None, source: Path, *, force: bool = False) -> dict[str, object]:
    """Replace the clinic's SQLite database with the backup `source`, after checking it."""
    path = _clinic_file(url, "restore", source)
    _readable_backup(source, path)
    revision = _sound(source)
    _intact_chain(source, revision)
    _refuse_existing(path, force, "a restore")
    try:
        _copy_into(source, path)
    except (OSError, sqlite3.Error) as err:
        raise RecordError(f"cannot write the database {str(path)!r}: {_why(err)}") from None
    return {"database": str(path), "backup": str(source), "revision": revision,
            "upgrade_needed": revision != head_revision()}  # fmt: skip


def _has_chain(revision: str) -> bool:
    return revision >= "0007"


def check_database(url: str | None) -> list[Finding]:
    """Integrity, foreign keys, schema, the audit chain and, for a file, its permissions."""
    findings: list[Finding] = []
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            raise RecordError(f"there is no clinic database at {str(path)!r}")
        if not path.is_file():
            raise RecordError(f"{str(path)!r} is not a clinic database (not a file)")
        try:
            with closing(connect_read_only(path)) as db:
                integrity = _integrity(db)
                orphans = db.execute("PRAGMA foreign_key_check").fetchall()
        except UNREADABLE as err:  # a text file, a truncated header, a damaged schema
            raise RecordError(unreadable(make_url(f"sqlite:///{path}"), _damage(err))) from None
        findings.append(Finding("integrity", integrity == "ok", integrity))
        findings.append(
            Finding("foreign keys", not orphans, f"{len(orphans)} rows point at no record")
        )
        mode = stat.S_IMODE(path.stat().st_mode)
        private = mode & 0o077 == 0
        findings.append(
            Finding("file permissions", private, f"mode {mode:04o}" + ("" if private else
                    ": other users of this machine can read patient data (chmod 600)"))
        )  # fmt: skip
    engine = open_engine(url)
    try:
        found = current_revision(engine)
        current = found == head_revision()
        upgrade = f"; this itbtwin needs {head_revision()}: run `itbtwin db upgrade`"
        if found is not None and found not in known_revisions():  # `db upgrade` refuses it
            upgrade = (
                f"; written by a newer itbtwin (this one knows up to {head_revision()}): check "
                "it with the itbtwin that wrote it"
            )
        elif found is None and (others := inspect(engine).get_table_names()):
            upgrade = (  # `db upgrade` would add the clinic's tables to another program's
                f"; it holds another program's tables ({', '.join(sorted(others)[:5])}), "
                "not an itbtwin clinic"
            )
        findings.append(
            Finding("schema", current, f"revision {found}" + ("" if current else upgrade))
        )
        if found is not None and _has_chain(found):
            try:
                with transaction(engine) as session:
                    chain = _read_chain(session, "the audit trail")
            except RecordError as err:
                findings.append(Finding("audit chain", False, str(err)))
            else:
                detail = chain.problem or (
                    f"{chain.entries} entries intact; newest digest {chain.newest}"
                )
                findings.append(Finding("audit chain", chain.broken_at is None, detail))
    finally:
        engine.dispose()
    return findings
