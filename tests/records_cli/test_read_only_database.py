"""A clinic database opened read-only, on SQLite and PostgreSQL (issue 17): every listing works and
a command that records is the one line "the clinic database is read-only", with nothing changed.

SQLite: the URL's ``mode=ro`` (a file the user may not write is
tests/hostile/test_read_only_clinic.py).
PostgreSQL: a read-only connection (``default_transaction_read_only``, SQLSTATE 25006) and a role
that may read but not change the tables (permission denied, SQLSTATE 42501: here the tables'
owner revokes its own INSERT, UPDATE and DELETE, as a SELECT-only role would have)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from itbtwin import store
from itbtwin.errors import RecordError

READING = [
    "patient list --json",
    "patient show P001 --json",
    "pump show NGP001 --json",
    "schedule --json",
    "risk --json",
    "audit --json",
    "db status",
    "db check",
]
WRITING = [
    'patient add P002 --birth-date 1990-01-01 --weight "70 kg" --origin spinal',
    'program set NGP001 --daily-dose "300 mcg/day" --reason "more spasm"',
    'pump event NGP001 --kind interrogation --at "2026-11-20 10:00"',
]


def _revoke_writes(url: str) -> None:
    engine = store.open_engine(url)
    with engine.begin() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
        connection.exec_driver_sql(
            f"REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} FROM CURRENT_USER"
        )
    engine.dispose()


def _read_only_url(text: str) -> str:
    """The same database through a read-only connection."""
    url = make_url(text)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///file:{url.database}?mode=ro&uri=true"
    options = f"{url.query['options']} -cdefault_transaction_read_only=on"
    return url.update_query_dict({"options": options}).render_as_string(hide_password=False)


@pytest.fixture(params=["read-only connection", "role without write grants"])
def read_only(request, clinic):  # type: ignore[no-untyped-def]
    """The small clinic's records (P001, NGP001) through a URL that may only read them."""
    if request.param == "read-only connection":
        clinic.url = _read_only_url(clinic.url)
    elif make_url(clinic.url).get_backend_name() == "sqlite":
        pytest.skip("grants are PostgreSQL's; SQLite's read-only file is its mode")
    else:
        _revoke_writes(clinic.url)
    return clinic


@pytest.mark.parametrize("command", READING)
def test_a_read_only_database_can_be_listed(read_only, command):
    result = read_only.run(command)
    if command.endswith("--json"):
        assert "P001" in result.stdout, result.stdout


@pytest.mark.parametrize("command", WRITING)
def test_a_writing_command_on_a_read_only_database_says_so_and_changes_nothing(read_only, command):
    before = read_only.counts()
    result = read_only.invoke(command)
    assert isinstance(result.exception, RecordError), (result.output, result.exception)
    message = str(result.exception)
    assert message.startswith("the clinic database is read-only"), message
    assert "\n" not in message
    password = make_url(read_only.url).password
    assert password is None or f":{password}@" not in message
    assert read_only.counts() == before


def test_db_upgrade_on_a_read_only_database_says_so_and_leaves_the_schema(cli, database_url):
    engine = store.open_engine(database_url)
    store.upgrade(engine, "0009")
    engine.dispose()
    result = cli("db", "upgrade", "--database", _read_only_url(database_url))
    assert isinstance(result.exception, RecordError), result.exception
    assert str(result.exception).startswith("the clinic database is read-only")
    engine = store.open_engine(database_url)
    assert store.current_revision(engine) == "0009"
    engine.dispose()
