"""Create and upgrade the schema with Alembic; safe to run any number of times.

The migration scripts ship inside the package (`itbtwin.store:migrations`), so `itbtwin db
upgrade` works from an installed copy without an ``alembic.ini``.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError

from itbtwin.errors import RecordError


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", "itbtwin.store:migrations")
    return config


def head_revision() -> str:
    """The newest schema revision this version of itbtwin knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every schema revision this version of itbtwin can read or upgrade from."""
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database (None: empty database); an unreadable file is a
    one-line `RecordError` (damaged, truncated or not a database at all)."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except DatabaseError as err:
        raise RecordError(
            f"cannot read the database {engine.url.render_as_string()!r}: {err.orig}. If the "
            "file is damaged or truncated, put a backup back with `itbtwin db restore BACKUP`"
        ) from None


def _refuse_newer(engine: Engine, found: str | None) -> None:
    if found is not None and found not in known_revisions():
        raise RecordError(
            f"the database {engine.url.render_as_string()!r} was written by a newer itbtwin "
            f"(schema {found}; this version knows up to {head_revision()}): install the newer "
            "itbtwin to use it (a schema is never downgraded)"
        )


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema to ``revision`` (default: the newest); returns the revision it is at."""
    _refuse_newer(engine, current_revision(engine))
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(engine)


def require_current(engine: Engine) -> None:
    """Refuse to work on a database whose schema is missing or older than this version's."""
    found = current_revision(engine)
    _refuse_newer(engine, found)
    if found != head_revision():
        state = "has no itbtwin schema" if found is None else f"is at schema {found}"
        raise RecordError(
            f"the database {engine.url!r} {state}; run `itbtwin db upgrade` "
            f"(this version needs {head_revision()})"
        )
