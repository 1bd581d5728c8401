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

import shlex
import sqlite3
import stat
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.files import writable
from itbtwin.store._audit_chain import verify_chain
from itbtwin.store._engine import (
    connect_read_only,
    create_private,
    default_url,
    open_engine,
    sqlite_file,
    transaction,
)
from itbtwin.store._migrate import current_revision, head_revision, known_revisions, unreadable

PG_DUMP = "pg_dump --format=custom --file {file} {url}"
PG_RESTORE = "pg_restore --clean --if-exists --dbname {url} {file}"
"""PostgreSQL's own backup and restore (postgresql.org/docs/current/app-pgdump.html), filled in
with the clinic's connection as libpq reads it (``postgresql://``, no password: libpq takes it
from ``PGPASSWORD`` or ``~/.pgpass``)."""


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


def _copy(source: Path, destination: Path) -> None:
    """SQLite's online backup of `source` into `destination` (created 0600)."""
    if destination.exists():
        destination.unlink()
    create_private(destination)
    with (
        closing(connect_read_only(source)) as src,
        closing(sqlite3.connect(destination)) as dst,
    ):
        src.backup(dst)


def _sound(path: Path) -> str:
    """The itbtwin schema revision of a SQLite file that passes SQLite's integrity check."""
    try:
        with closing(connect_read_only(path)) as db:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                raise RecordError(f"{str(path)!r} fails SQLite's integrity check: {integrity}")
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise RecordError(f"{str(path)!r} is a SQLite file but not an itbtwin clinic")
            revision = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as err:
        raise RecordError(f"{str(path)!r} is not a usable SQLite database: {err}") from None
    if revision is None or revision[0] not in known_revisions():
        found = None if revision is None else revision[0]
        raise RecordError(
            f"{str(path)!r} has schema {found}, which this itbtwin does not know (newest "
            f"{head_revision()}): restore it with the itbtwin that wrote it"
        )
    return revision[0]


def backup(url: str | None, destination: Path, *, force: bool = False) -> dict[str, object]:
    """Copy the clinic's SQLite database to `destination` (0600), checked after the copy."""
    path = _clinic_file(url, "backup", destination)
    if not path.exists():
        raise RecordError(f"there is no clinic database at {str(path)!r} to back up")
    _refuse_existing(destination, force, "a backup")
    writable(destination, "backup")  # a mistyped folder is not made
    try:
        _copy(path, destination)
    except (OSError, sqlite3.Error) as err:
        raise RecordError(f"cannot write the backup {str(destination)!r}: {err}") from None
    revision = _sound(destination)
    return {"database": str(path), "backup": str(destination), "revision": revision,
            "bytes": destination.stat().st_size}  # fmt: skip


def restore(url: str | None, source: Path, *, force: bool = False) -> dict[str, object]:
    """Replace the clinic's SQLite database with the backup `source`, after checking it."""
    path = _clinic_file(url, "restore", source)
    if not source.is_file():
        raise RecordError(f"there is no backup file {str(source)!r}")
    revision = _sound(source)
    if _has_chain(revision):
        reader = create_engine(f"sqlite:///file:{source.resolve()}?mode=ro&uri=true")
        try:
            with Session(reader) as session:
                chain = verify_chain(session)
        finally:
            reader.dispose()
        if chain.broken_at is not None:
            raise RecordError(f"the backup's audit trail is not intact: {chain.problem}")
    _refuse_existing(path, force, "a restore")
    try:
        _copy(source, path)
    except (OSError, sqlite3.Error) as err:
        raise RecordError(f"cannot write the database {str(path)!r}: {err}") from None
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
                integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
                orphans = db.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as err:  # a text file, a truncated header
            raise RecordError(unreadable(make_url(f"sqlite:///{path}"), err)) from None
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
        findings.append(
            Finding("schema", current, f"revision {found}" + ("" if current else upgrade))
        )
        if found is not None and _has_chain(found):
            with transaction(engine) as session:
                chain = verify_chain(session)
            detail = (
                chain.problem or f"{chain.entries} entries intact; newest digest {chain.newest}"
            )
            findings.append(Finding("audit chain", chain.broken_at is None, detail))
    finally:
        engine.dispose()
    return findings
