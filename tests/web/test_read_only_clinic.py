"""The workspace on a clinic database it may only read (issue 17; SQLite and PostgreSQL): a user
signed in before keeps reading every page; a change and a sign-in are a plain page that says the
clinic database is read-only, with nothing changed and no traceback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.store import _engine
from itbtwin.web import WebSettings, create_app
from itbtwin.web._sessions import TOUCH_EVERY_S
from web.conftest import csrf_of, new_client, password, sign_in


def _read_only_engine(clinic, monkeypatch, how: str):  # type: ignore[no-untyped-def]
    """The clinic's database opened read-only: by its URL (SQLite ``mode=ro``, PostgreSQL
    ``default_transaction_read_only``), as a SQLite file the user may not write, or through a
    PostgreSQL role without write grants (the tables' owner revokes its own)."""
    url = clinic.engine.url
    if url.get_backend_name() != "sqlite":
        if how == "unwritable file":
            pytest.skip("file modes are SQLite's; PostgreSQL's read-only connection is the URL")
        if how == "role without write grants":
            with clinic.engine.begin() as connection:
                connection.exec_driver_sql(
                    "REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM CURRENT_USER"
                )
            return store.open_engine(url.render_as_string(hide_password=False))
        options = "-c default_transaction_read_only=on"
        return store.open_engine(
            url.update_query_dict({"options": options}).render_as_string(hide_password=False)
        )
    if how == "role without write grants":
        pytest.skip("grants are PostgreSQL's")
    if how == "url":
        return store.open_engine(_read_only_url(url.database))
    monkeypatch.setattr(_engine, "can_write", lambda _path: False)  # as for a 0400 file
    return store.open_engine(url.render_as_string())


def _read_only_url(path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def _audit_rows(clinic) -> int:  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        return db.scalar(select(func.count(store.AuditEntry.id)))


@pytest.fixture(params=["url", "unwritable file", "role without write grants"])
def read_only(request, clinic, monkeypatch):  # type: ignore[no-untyped-def]
    """(the app on the read-only database, a nurse's client signed in before it became so)."""
    nurse = clinic.client("nurse-carol")
    engine = _read_only_engine(clinic, monkeypatch, request.param)
    clock = clinic.clock
    settings = WebSettings(
        holidays=clinic.holidays, clock=lambda: clock.utc, clinic_clock=lambda: clock.clinic
    )
    app = create_app(engine, settings)
    client = new_client(app)
    client.cookies.update(nurse.cookies)
    clock.advance(timedelta(seconds=2 * TOUCH_EVERY_S))  # the session's last use is due
    yield app, client
    engine.dispose()


def test_pages_of_a_read_only_clinic_read(clinic, read_only):
    _app, client = read_only
    patient = clinic.patient_id()
    assert client.get("/").status_code == 200
    page = client.get(f"/patients/{patient}")
    assert page.status_code == 200 and "Traceback" not in page.text
    assert client.get("/audit").status_code == 200


def test_a_change_on_a_read_only_clinic_is_a_plain_page_and_changes_nothing(clinic, read_only):
    _app, client = read_only
    patient = clinic.patient_id()
    before = _audit_rows(clinic)
    day = (clinic.clock.clinic + timedelta(days=3)).date().isoformat()
    form = {"csrf_token": csrf_of(client), "visit_on": day, "note": "phoned"}
    page = client.post(f"/patients/{patient}/book", data=form)
    assert page.status_code == 503
    assert "the clinic database is read-only: nothing was changed" in page.text
    assert "Traceback" not in page.text and "sqlite" not in page.text.lower()
    assert _audit_rows(clinic) == before


def test_signing_in_to_a_read_only_clinic_says_why_it_cannot(clinic, read_only):
    app, _client = read_only
    anonymous = new_client(app)
    page = sign_in(anonymous, "nurse-dan", password("nurse-dan"), clinic.code("nurse-dan"))
    assert page.status_code == 503
    assert "the clinic database is read-only" in page.text


def test_serve_on_a_read_only_clinic_warns_that_nobody_can_sign_in_or_change_anything(
    cli, tmp_path, monkeypatch
):
    import signal

    import uvicorn

    path = tmp_path / "clinic.db"
    assert cli("db", "upgrade", "--database", f"sqlite:///{path}").exit_code == 0
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_options: served.append(app))
    monkeypatch.setattr(signal, "signal", lambda *_args: None)  # the test's own handlers stay
    for url, read_only in ((f"sqlite:///{path}", False), (_read_only_url(path), True)):
        result = cli("serve", "--database", url)
        assert result.exit_code == 0, result.output
        warned = "warning: the clinic database is read-only" in result.stderr
        assert warned is read_only, result.stderr
    assert len(served) == 2
