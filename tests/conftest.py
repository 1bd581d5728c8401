"""Shared fixtures: the typical adult, a CLI runner with every command registered, and the
databases (SQLite always, PostgreSQL when ``ITBTWIN_TEST_POSTGRES_URL`` is set)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

import itbtwin.cli
from clinic_databases import DATABASES, fresh_database
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


@pytest.fixture(autouse=True)
def _no_user_database(tmp_path, monkeypatch):
    """No test touches the user's own clinic: the default database is a temporary file."""
    monkeypatch.setenv("ITBTWIN_DATABASE_URL", f"sqlite:///{tmp_path / 'default-clinic.db'}")
    monkeypatch.setenv("ITBTWIN_USER", "test-nurse")


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty database of each kind: a SQLite file, or a fresh PostgreSQL schema."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


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
