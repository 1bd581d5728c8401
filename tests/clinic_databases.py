"""The databases the store's tests run on: SQLite always, PostgreSQL when
``ITBTWIN_TEST_POSTGRES_URL`` is set (`.ci/postgres.sh` prints one), each a fresh, empty one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("ITBTWIN_TEST_POSTGRES_URL")
"""A PostgreSQL database the tests may use (`.ci/run` starts one and sets this)."""

DATABASES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            POSTGRES_URL is None, reason="ITBTWIN_TEST_POSTGRES_URL is not set"
        ),
    ),
]
"""Fixture parameters: every database kind a test or module runs on."""


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database of `kind`: a SQLite file in `folder`, or a new PostgreSQL
    schema (the URL's search path), dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'clinic.db'}"
        return
    assert POSTGRES_URL is not None
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
