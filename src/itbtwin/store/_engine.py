"""Where the records live and how a unit of work is done: one engine, one transaction per command.

SQLite by default, in ``clinic.db`` under the user's data directory (platformdirs), in WAL mode
with foreign keys on and every write transaction started with ``BEGIN IMMEDIATE``, so two
processes writing at once queue instead of failing or losing a record. PostgreSQL (or any URL
SQLAlchemy knows) by ``ITBTWIN_DATABASE_URL``; there a write locks the pump row it changes.
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.user_files import not_a_file

URL_VARIABLE = "ITBTWIN_DATABASE_URL"
BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another to finish (ms) before giving up."""


def default_url() -> str:
    """``ITBTWIN_DATABASE_URL``, else a SQLite file in the user's data directory.

    A variable set but empty is refused, not read as unset: ``ITBTWIN_DATABASE_URL=$CLINIC`` with
    ``$CLINIC`` unset recorded into the user's own default clinic without a word (issue 17)."""
    url = os.environ.get(URL_VARIABLE)
    if url is not None and not url.strip():
        raise RecordError(
            f"{URL_VARIABLE} is set but empty: set it to the clinic's database URL, or unset it "
            "to use clinic.db in the user data directory"
        )
    if url:
        return url
    folder = Path(platformdirs.user_data_dir("itbtwin", appauthor=False))
    return f"sqlite:///{folder / 'clinic.db'}"


SCHEMA_NOT_TEXT = "its schema is damaged (text that is not UTF-8)"
"""Why a SQLite file whose schema holds a damaged byte cannot be read: SQLite quotes the schema
in its error, which Python cannot decode and raises as a UnicodeDecodeError (issue 17, found by
the property test of `db check` on a damaged clinic)."""

READ_ONLY = "the clinic database is read-only"
"""The one line a writing command gives on a database the user cannot write (issue 17)."""


def _sqlite_pragmas(engine: Engine) -> None:
    read_only = is_read_only(engine)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below, not the driver's
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            if not read_only:  # the journal mode is stored in the file: setting it writes
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except UnicodeDecodeError:  # a damaged file: read as the others are (`unreadable`)
            raise sqlite3.DatabaseError(SCHEMA_NOT_TEXT) from None
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        # IMMEDIATE takes the write lock, which a read-only file cannot give
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


_READ_ONLY: weakref.WeakSet[Engine] = weakref.WeakSet()
"""Engines that opened their SQLite file read-only (`connect_read_only`)."""


def is_read_only(engine: Engine) -> bool:
    """Whether `engine` opened its SQLite file read-only: the user cannot write it, or the URL
    says so (``sqlite:///file:clinic.db?mode=ro&uri=true``)."""
    return engine in _READ_ONLY or (
        engine.url.get_backend_name() == "sqlite" and engine.url.query.get("mode") == "ro"
    )


_WRITABLE: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()
"""Per PostgreSQL engine: whether its connections may change the cached dates (asked once)."""


def keeps_cache(session: Session) -> bool:
    """Whether rows derived from the records (cached dates, schedule plans) may be stored in the
    session's database: not in a SQLite file opened read-only, nor on a PostgreSQL connection
    that is read-only (``default_transaction_read_only``, a standby) or whose role may not change
    ``pump_dates``; those are read uncached instead. PostgreSQL is asked once per engine: the
    URL's options and the role's grants do not change while a command runs."""
    engine = session.get_bind().engine
    if is_read_only(engine):
        return False
    if engine.dialect.name != "postgresql":
        return True
    if engine not in _WRITABLE:
        query = text(
            "SELECT current_setting('transaction_read_only') = 'off' "
            "AND has_table_privilege('pump_dates', 'INSERT, UPDATE, DELETE')"
        )
        _WRITABLE[engine] = bool(session.scalar(query))
    return _WRITABLE[engine]


def can_write(path: Path) -> bool:
    """Whether the user can change the SQLite file at `path`: the file and, for its journal
    (``-wal``, ``-shm``), its folder must be writable."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to the SQLite file at `path`, which works where the user cannot
    write the file or its folder: a 0400 clinic can still be listed (issue 17).

    In WAL mode SQLite keeps a ``-wal`` and a ``-shm`` file beside the database; in a folder
    nobody can write, none can be made and, when none is there, no writer can be at work either,
    so the file is opened ``immutable`` (SQLite's URI parameters, sqlite.org/uri.html)."""
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    immutable = "&immutable=1" if not folder_writable and not Path(f"{path}-wal").exists() else ""
    uri = f"file:{quote(str(path.absolute()))}?mode=ro{immutable}"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


SQLITE_DRIVER_ARGUMENTS = frozenset(
    ("timeout", "isolation_level", "detect_types", "check_same_thread", "cached_statements", "uri")
)
"""The query arguments SQLAlchemy's SQLite driver reads from a URL; any other is SQLite's own
(``mode``, ``cache``...), read only with ``uri=true`` and otherwise ignored with a warning."""


def parse_url(text: str) -> URL:
    """`text` as a database URL, or a one-line `RecordError`: no URL, a port that is no number,
    or a SQLite argument that would be ignored (``?mode=ro`` without ``uri=true`` opened the
    clinic for writing, with a Python warning quoting a line of itbtwin: issue 17)."""
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError):  # ValueError: a port that is no number
        raise RecordError(f"not a database URL: {text!r}") from None
    if parsed.get_backend_name() == "sqlite" and parsed.query.get("uri") != "true":
        ignored = sorted(set(parsed.query) - SQLITE_DRIVER_ARGUMENTS)
        if ignored:
            raise RecordError(
                f"SQLite would ignore {', '.join(ignored)} in {text!r}: its own arguments are read "
                "only in a file URI, e.g. sqlite:///file:clinic.db?mode=ro&uri=true"
            )
    return parsed


def sqlite_file(url: str | None) -> Path | None:
    """The file of a SQLite URL (None: another database, or SQLite in memory); a ``file:`` URI
    (``sqlite:///file:clinic.db?mode=ro&uri=true``) names its file too."""
    parsed = parse_url(default_url() if url is None else url)  # '' is no URL, not the default
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    database = parsed.database
    if parsed.query.get("uri") == "true" and database.startswith("file:"):
        database = unquote(urlsplit(database).path)
        if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
            return None
    path = Path(database).expanduser()
    try:
        kind = not_a_file(path.stat().st_mode)
    except OSError:  # missing: each caller says what that means for it
        kind = None
    if kind:  # /dev/null read as an empty clinic, a named pipe hung `db backup` (issue 17)
        raise RecordError(
            f"the database {str(path)!r} is {kind}, not a file: give the clinic's SQLite file"
        )
    return path


def create_private(path: Path) -> None:
    """Create `path` (if missing) readable by its owner only (0600), in a 0700 folder when the
    folder is new: a clinic's records are patient data (issue 17 point 5)."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def open_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: `default_url`); a new SQLite file is created 0600, an
    existing one the user cannot write is opened read-only (`connect_read_only`).

    SQLite creates the database's WAL and shared-memory files with the database file's mode, so
    they are private too.
    """
    text = default_url() if url is None else url
    parsed = parse_url(text)
    path = sqlite_file(text)
    connect = None
    if path is not None and path.exists():
        connect = None if can_write(path) else partial(connect_read_only, path)
    elif path is not None:
        try:
            create_private(path)
        except OSError as err:
            raise RecordError(f"cannot create the database {str(path)!r}: {err.strerror}") from None
    try:
        engine = create_engine(parsed, **({"creator": connect} if connect else {}))
    except NoSuchModuleError:  # file://, oracle://: no dialect of that name
        raise RecordError(
            f"{parsed.drivername!r} in {parsed!r} is not a database itbtwin can use: give "
            "sqlite:///PATH or postgresql+psycopg://USER@HOST/DATABASE"
        ) from None
    except ImportError:  # oracle://, mysql://: a dialect SQLAlchemy knows, its driver absent
        raise RecordError(
            f"{parsed.drivername!r} in {parsed!r} is not a database itbtwin can use: give "
            "sqlite:///PATH or postgresql+psycopg://USER@HOST/DATABASE"
        ) from None
    except (ArgumentError, ValueError) as err:  # ValueError: ?timeout=abc
        raise RecordError(f"cannot open the database {parsed!r}: {err}") from None
    if connect is not None:
        _READ_ONLY.add(engine)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_pragmas(engine)
    return engine


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: everything inside commits together, or nothing does on any error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


_TABLES: weakref.WeakKeyDictionary[Engine, set[str]] = weakref.WeakKeyDictionary()
"""Tables known to exist, per engine (a schema never loses a table once upgraded)."""


def has_table(session: Session, name: str) -> bool:
    """Whether the session's database has table `name` yet: listeners that keep a table of a
    later migration (cached dates, the audit chain) leave an older database alone."""
    engine = session.get_bind().engine
    known = _TABLES.setdefault(engine, set())
    if name not in known:
        if not inspect(session.connection()).has_table(name):
            return False
        known.add(name)
    return True
