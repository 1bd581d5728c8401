"""When the database itself refuses: a clinic the user may read but not change.

A read-only clinic is a normal state, not a crash (issue 17): a SQLite file the user cannot write,
a PostgreSQL connection that is read-only (``default_transaction_read_only=on`` in the URL's
options, a hot-standby server: SQLSTATE 25006) or a PostgreSQL role without the right to change
the tables (permission denied: SQLSTATE 42501, PostgreSQL's "Appendix A. Error Codes"). Both faces
turn such a refusal into one line (`refusal`): the CLI's exit status 2, the web's plain error page.
Reading commands keep working: cached dates are not stored where the database refuses them
(`store._engine.keeps_cache`).
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from itbtwin.errors import RecordError
from itbtwin.store._engine import READ_ONLY, is_read_only, sqlite_file

READ_ONLY_TRANSACTION = "25006"
"""PostgreSQL's SQLSTATE for a change in a read-only transaction (read_only_sql_transaction)."""
INSUFFICIENT_PRIVILEGE = "42501"
"""PostgreSQL's SQLSTATE for permission denied (insufficient_privilege)."""


LOCKS = (" FOR UPDATE", " FOR NO KEY UPDATE", " FOR SHARE", " FOR KEY SHARE")
"""A SELECT that locks rows needs UPDATE rights: it is the start of a change, not a read."""


def _reads(statement: str | None) -> bool:
    words = " ".join((statement or "").upper().split())
    return words.startswith(("SELECT", "WITH", "SHOW")) and not any(lock in words for lock in LOCKS)


def refusal(err: DBAPIError, engine: Engine) -> RecordError | None:
    """The one-line error for a database that refused to be changed (or read), or None when
    `err` is another failure. Nothing was changed: the transaction is rolled back."""
    code = getattr(err.orig, "sqlstate", None)
    where = sqlite_file(engine.url.render_as_string(hide_password=False))
    name = repr(str(where)) if where else repr(engine.url.render_as_string(hide_password=True))
    if code == READ_ONLY_TRANSACTION:
        return RecordError(
            f"{READ_ONLY}: {name} can be listed, not changed (the connection is read-only: "
            "default_transaction_read_only in the URL, or a standby server; record on a "
            "read-write connection)"
        )
    if code == INSUFFICIENT_PRIVILEGE:
        user = engine.url.username or "this user"
        if _reads(err.statement):
            return RecordError(f"the database user {user!r} may not read the clinic's records")
        return RecordError(
            f"{READ_ONLY} for the database user {user!r}: {name} can be listed, not changed "
            "(ask for INSERT, UPDATE and DELETE on the clinic's tables)"
        )
    sqlite_code = getattr(err.orig, "sqlite_errorname", "")
    if is_read_only(engine) or sqlite_code.startswith("SQLITE_READONLY"):
        return RecordError(
            f"{READ_ONLY}: {name} can be listed, not changed "
            "(ask for write access to the file and its folder)"
        )
    return None
