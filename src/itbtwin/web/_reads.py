"""Pages are read in read transactions, so a slow page never holds the write lock.

SQLite's writers start with ``BEGIN IMMEDIATE`` (`store.open_engine`), which takes the database's
one write lock for the whole transaction: a patient page that runs the twin (≈0.3 s) inside it
would make every other request wait. In WAL mode readers never block the writer nor each other,
so GET requests use a second engine on the same file whose transactions begin with a plain
(deferred) ``BEGIN`` and which refuses writes (``PRAGMA query_only``). PostgreSQL's default
transactions do not lock for reads: there the one engine serves both. So does a SQLite file the
server may only read (`store._engine.is_read_only`): its engine already begins a plain ``BEGIN``
and opens the file as it can be opened (read-only, or ``immutable`` in a folder nobody may write).
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event

from itbtwin.store._engine import is_read_only

BUSY_TIMEOUT_MS = 30_000


def read_engine(engine: Engine) -> Engine:
    """An engine for read transactions on the writer's database (the writer itself when it is not
    a SQLite file, or is one opened read-only)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return engine
    if is_read_only(engine):
        return engine
    reader = create_engine(url)

    @event.listens_for(reader, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(reader, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN")

    return reader
