"""Create and upgrade the schema with Alembic; safe to run any number of times.

The migration scripts ship inside the package (`itbtwin.store:migrations`), so `itbtwin db
upgrade` works from an installed copy without an ``alembic.ini``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Engine, inspect, text
from sqlalchemy.exc import DatabaseError

from itbtwin.errors import RecordError

if TYPE_CHECKING:
    from alembic.config import Config

_VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION_LINE = re.compile(r'^(down_)?revision\b[^=\n]*=\s*"(\w+)"', re.MULTILINE)


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "itbtwin.store:migrations")
    return config


def head_revision() -> str:
    """The newest schema revision this version of itbtwin knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def newest_revision() -> str:
    """`head_revision` read from the migration scripts without importing Alembic (~0.3 s, for
    `itbtwin db status`); Alembic's answer when the scripts' lines do not name one head."""
    return _head_in_files() or head_revision()


def known_revisions() -> set[str]:
    """Every schema revision this version of itbtwin can read or upgrade from."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database (None: empty database); an unreadable file, or one
    holding tables but no schema revision, is a one-line `RecordError` (damaged, truncated, not a
    database at all, or another program's)."""
    if (stored := _stored_revision(engine)) is not None:
        return stored  # the usual case, without importing Alembic (~0.3 s, issue 13)
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as connection:
            found = MigrationContext.configure(connection).get_current_revision()
            tables = [] if found is not None else sorted(inspect(connection).get_table_names())
    except DatabaseError as err:
        raise RecordError(unreadable(engine.url, err.orig)) from None
    if tables:  # `db upgrade` added the clinic's tables to another program's database (issue 17)
        listed = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise RecordError(
            f"the database {engine.url.render_as_string()!r} holds tables ({listed}) but no "
            "itbtwin schema version: it is another program's database, or a clinic whose "
            "version table was removed; give an empty database or an itbtwin clinic (a backup "
            "goes back with `itbtwin db restore BACKUP`)"
        )
    return found


def unreadable(url: URL, cause: BaseException | None) -> str:
    """Why the database at `url` cannot be read, in one line: a SQLite file may be damaged
    (restore a backup); a server may be unreachable or refuse the user (issue 17: a PostgreSQL
    host that did not resolve was told to restore a file backup)."""
    reason = re.sub(r"\[Errno -?\d+\] ", "", str(cause).strip().splitlines()[0] if cause else "")
    if url.get_backend_name() == "sqlite":
        return (
            f"cannot read the database {url.render_as_string()!r}: {reason}. If the file is "
            "damaged or truncated, put a backup back with `itbtwin db restore BACKUP`"
        )
    return (
        f"cannot reach the database {url.render_as_string()!r}: {reason} (check the host, port, "
        "user, password and database name of the URL)"
    )


def refuse_newer(engine: Engine, found: str | None) -> None:
    """Refuse a database whose schema revision `found` this itbtwin does not know (a newer
    itbtwin wrote it): no command, `db upgrade` included, can use it."""
    if found is not None and found not in known_revisions():
        raise RecordError(
            f"the database {engine.url.render_as_string()!r} was written by a newer itbtwin "
            f"(schema {found}; this version knows up to {head_revision()}): install the newer "
            "itbtwin to use it (a schema is never downgraded)"
        )


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema to ``revision`` (default: the newest); returns the revision it is at."""
    from alembic import command

    refuse_newer(engine, current_revision(engine))
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(engine)


def require_current(engine: Engine) -> None:
    """Refuse to work on a database whose schema is missing or older than this version's."""
    found = current_revision(engine)
    if found == _head_in_files() is not None:
        return  # the usual case, without importing Alembic (~0.3 s, issue 13)
    refuse_newer(engine, found)
    if found != head_revision():
        state = "has no itbtwin schema" if found is None else f"is at schema {found}"
        raise RecordError(
            f"the database {engine.url!r} {state}; run `itbtwin db upgrade` "
            f"(this version needs {head_revision()})"
        )


@functools.cache
def _head_in_files() -> str | None:
    """The head revision read from the migration scripts' `revision` / `down_revision` lines:
    the one revision no script names as its predecessor (None when that is not exactly one;
    `head_revision`, Alembic's own answer, is the authority and a test checks they agree)."""
    revisions, predecessors = set(), set()
    for script in _VERSIONS.glob("*.py"):
        for down, revision in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            (predecessors if down else revisions).add(revision)
    heads = revisions - predecessors
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    """The database's one `alembic_version` row read with plain SQL (None when there is no such
    table or not exactly one row: `require_current` then asks Alembic and says what is wrong)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DatabaseError:
        return None
    return rows[0][0] if len(rows) == 1 else None
