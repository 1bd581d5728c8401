"""What the PostgreSQL test fixtures need of their role, as `.ci/postgres.sh` grants it: a schema
per test in its database, databases of its own (the web tests' templates, the pg_dump test), and
dropping such a database WITH (FORCE) while a connection of the same role still uses it, which
needs no ``pg_signal_backend`` (PostgreSQL: a role may end its own sessions)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from clinic_databases import POSTGRES_URL

pytestmark = pytest.mark.skipif(POSTGRES_URL is None, reason="ITBTWIN_TEST_POSTGRES_URL is not set")


def test_the_test_role_needs_no_pg_signal_backend_to_drop_a_database_its_own_session_holds():
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"itbtwin_setup_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        if connection.scalar(text("SELECT pg_has_role('pg_signal_backend', 'MEMBER')")):
            admin.dispose()
            pytest.skip("this role was granted pg_signal_backend: it cannot show it is not needed")
        assert connection.scalar(text("SELECT rolcreatedb FROM pg_roles WHERE rolname = user"))
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    other = create_engine(make_url(POSTGRES_URL).set(database=name))
    held = other.connect()
    held.exec_driver_sql("SELECT 1")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
            gone = connection.scalar(
                text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": name}
            )
        assert gone == 0
        with pytest.raises(OperationalError):  # the held session was ended by the drop
            held.exec_driver_sql("SELECT 1")
    finally:
        held.invalidate()
        held.close()
        other.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def test_the_test_role_makes_and_drops_a_schema_in_its_database():
    admin = create_engine(POSTGRES_URL)
    schema = f"test_setup_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        connection.exec_driver_sql(f"CREATE TABLE {schema}.t (x integer)")
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()
