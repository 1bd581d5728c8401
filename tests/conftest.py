"""Shared fixtures: the typical adult, a CLI runner with every command registered, and the
databases (SQLite always, PostgreSQL when ``ITBTWIN_TEST_POSTGRES_URL`` is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

import itbtwin.cli
from itbtwin import store
from itbtwin.patient import BaclofenPk


@pytest.fixture(scope="session")
def adult() -> BaclofenPk:
    return BaclofenPk.adult()


@pytest.fixture(scope="session")
def cli():
    """Invoke the CLI in-process: ``cli("pk", "--bolus", "50 mcg")``."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(itbtwin.cli.app, list(args))

    return invoke


POSTGRES_URL = os.environ.get("ITBTWIN_TEST_POSTGRES_URL")
"""A PostgreSQL database the tests may use (`.ci/run` starts one and sets this)."""


@pytest.fixture(autouse=True)
def _no_user_database(tmp_path, monkeypatch):
    """No test touches the user's own clinic: the default database is a temporary file."""
    monkeypatch.setenv("ITBTWIN_DATABASE_URL", f"sqlite:///{tmp_path / 'default-clinic.db'}")
    monkeypatch.setenv("ITBTWIN_USER", "test-nurse")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                POSTGRES_URL is None, reason="ITBTWIN_TEST_POSTGRES_URL is not set"
            ),
        ),
    ]
)
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty database of each kind: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'clinic.db'}"
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    """An engine on an empty database of each kind, disposed after the test."""
    engine = store.open_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def wide_console(monkeypatch):
    """The CLI's console 160 columns wide, one table row per line: its width is read once, when
    `itbtwin.cli._app` is imported, so setting COLUMNS in a test comes too late."""
    from itbtwin.cli import _app

    monkeypatch.setattr(_app.console, "width", 160)
