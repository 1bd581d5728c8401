"""Fixtures of the web tests: a small demo clinic copied fresh for each test, one persona per role
(healthchecks-style), a clock the tests move, and a signed-in TestClient per persona.

Clients speak to `https://testserver`: the session cookie is `Secure` (`__Host-`), and httpx, unlike
a browser on the loopback, sends such a cookie over HTTPS only. Personas have their own password
and an enrolled authenticator app (every role gives a TOTP code)."""

from __future__ import annotations

import os
import re
import shutil
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import Engine, create_engine, make_url

from itbtwin import store
from itbtwin.web import WebSettings, create_app

with warnings.catch_warnings():  # starlette's TestClient warns about httpx itself
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TODAY = datetime(2026, 3, 2, 8)
"""The demo clinic's today (a Monday; holidays Mon 9 and Tue 10 March)."""
NOW = TODAY + timedelta(hours=1)
"""The clinic's wall clock during the tests."""
UTC_NOW = datetime(2026, 3, 2, 7)
TOTP_STEP_S = 30
"""RFC 6238's time step (s), pyotp's default."""
PERSONAS = {
    "dr-alice": "physician",
    "dr-bob": "physician",
    "nurse-carol": "nurse",
    "nurse-dan": "nurse",
    "res-erin": "researcher",
}


def password(name: str) -> str:
    return f"password-of-{name}"


@dataclass
class Clock:
    """The workspace's clocks: UTC (sessions) and the clinic's wall clock (records)."""

    utc: datetime = UTC_NOW
    clinic: datetime = NOW

    def advance(self, delta: timedelta) -> None:
        self.utc += delta
        self.clinic += delta


@dataclass
class Clinic:
    """A fresh copy of the demo clinic with its personas, clock and app."""

    engine: Engine
    clock: Clock
    secrets: dict[str, str]
    holidays: tuple
    app: object = field(repr=False)
    signed_in_steps: dict[str, int] = field(default_factory=dict)

    def client(self, name: str | None = None) -> TestClient:
        """A client, signed in as `name` (None: anonymous). A TOTP code is accepted once, so a
        physician signing in again within the same 30 s step waits for the next step."""
        client = new_client(self.app)
        if name in self.secrets:
            step = int(self.clock.utc.replace(tzinfo=UTC).timestamp()) // TOTP_STEP_S
            if self.signed_in_steps.get(name) == step:
                self.clock.advance(timedelta(seconds=TOTP_STEP_S))
                step += 1
            self.signed_in_steps[name] = step
        if name is not None:
            response = sign_in(client, name, password(name), self.code(name))
            assert response.status_code == 303, response.text
        return client

    def code(self, name: str) -> str:
        secret = self.secrets.get(name)
        epoch = int(self.clock.utc.replace(tzinfo=UTC).timestamp())
        return pyotp.TOTP(secret).at(epoch) if secret else ""

    def patient_id(self, index: int = 0) -> int:
        with store.transaction(self.engine) as db:
            pumps = store.implanted_pumps(db)
            return pumps[index].patient_id


def new_client(app: object) -> TestClient:
    """An anonymous client of `app` over HTTPS (the session cookie is `Secure`)."""
    return TestClient(app, base_url="https://testserver", follow_redirects=False)  # type: ignore[arg-type]


def login_token(client: TestClient) -> str:
    page = client.get("/login")
    return re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)


def sign_in(client: TestClient, name: str, secret: str, code: str = ""):  # type: ignore[no-untyped-def]
    data = {"login_token": login_token(client), "username": name, "password": secret}
    return client.post("/login", data=data | {"code": code})


def csrf_of(client: TestClient, path: str = "/audit") -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


POSTGRES_URL = os.environ.get("ITBTWIN_TEST_POSTGRES_URL")
"""A PostgreSQL server the web tests also run on (`.ci/postgres.sh` prints its URL)."""


def _build(url: str) -> tuple[dict[str, str], tuple]:
    """Record the demo clinic (8 patients) and the personas at `url`; their TOTP secrets and
    the clinic's holidays."""
    engine = store.open_engine(url)
    store.upgrade(engine)
    secrets = {}
    with store.transaction(engine) as db:
        clinic = store.build_demo_clinic(db, seed=7, today=TODAY, size=8, actor="demo")
        for name, role in PERSONAS.items():
            user = store.add_user(
                db, "admin", name, role, password(name), temporary=False, enrolled=True
            )
            if user.totp_secret:
                secrets[name] = user.totp_secret
    engine.dispose()
    return secrets, clinic.holidays


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> tuple[Path, dict[str, str], tuple]:
    """The demo clinic as a SQLite file, built once per test session."""
    path = tmp_path_factory.mktemp("web") / "clinic.db"
    return path, *_build(f"sqlite:///{path}")


def _postgres_admin() -> Engine:
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


def _database_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[tuple[str, dict[str, str], tuple]]:
    """The demo clinic as a PostgreSQL database, built once per test session; each test gets a
    copy (CREATE DATABASE ... TEMPLATE)."""
    name = f"itbtwin_web_{uuid.uuid4().hex[:12]}"
    admin = _postgres_admin()
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield name, *_build(_database_url(name))
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


@contextmanager
def _clinic_engine(request, tmp_path) -> Iterator[tuple[Engine, dict[str, str], tuple]]:  # type: ignore[no-untyped-def]
    """A fresh copy of the demo clinic of the test's database kind."""
    if request.param == "sqlite":
        source, secrets, holidays = request.getfixturevalue("template_db")
        path = tmp_path / "clinic.db"
        shutil.copy(source, path)
        engine = store.open_engine(f"sqlite:///{path}")
        yield engine, secrets, holidays
        engine.dispose()
        return
    template, secrets, holidays = request.getfixturevalue("postgres_template")
    name = f"itbtwin_web_{uuid.uuid4().hex[:12]}"
    admin = _postgres_admin()
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {template}")
    engine = store.open_engine(_database_url(name))
    yield engine, secrets, holidays
    engine.dispose()
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


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
def clinic(request, tmp_path) -> Iterator[Clinic]:
    """The demo clinic, fresh for each test, on SQLite and (when set) PostgreSQL."""
    with _clinic_engine(request, tmp_path) as (engine, secrets, holidays):
        clock = Clock()
        settings = WebSettings(
            holidays=holidays, clock=lambda: clock.utc, clinic_clock=lambda: clock.clinic
        )
        yield Clinic(engine, clock, secrets, holidays, create_app(engine, settings))
