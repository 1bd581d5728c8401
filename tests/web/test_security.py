"""Security requirements of OWASP ASVS 5.0 level 2 that `docs/security.md` maps here and no other
web test covers (issue 17 point 7): session tokens, revocation, logging of refusals, identifiers
kept out of URLs, hostile input outside the record forms."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from itbtwin import store
from itbtwin.store._sign_in import MAX_FAILURES
from itbtwin.web import WebSettings, create_app
from itbtwin.web._sessions import COOKIE
from web.conftest import csrf_of, new_client, password, sign_in


def test_the_database_holds_only_a_hash_of_the_random_session_token(clinic):
    tokens = {clinic.client("nurse-carol").cookies.get(COOKIE) for _ in range(3)}
    assert len(tokens) == 3 and all(len(t) >= 43 for t in tokens)  # 32 random bytes each
    with store.transaction(clinic.engine) as db:
        stored = set(db.scalars(select(store.WebSession.token_hash)))
    assert not tokens & stored and all(re.fullmatch("[0-9a-f]{64}", h) for h in stored)


def test_a_password_reset_ends_every_open_session_of_the_user(clinic):
    phone, desk = clinic.client("nurse-carol"), clinic.client("nurse-carol")
    other = clinic.client("nurse-dan")
    with store.transaction(clinic.engine) as db:
        store.reset_password(db, "admin", "nurse-carol", "a-new-long-password", "phone lost")
    assert phone.get("/").status_code == desk.get("/").status_code == 303
    assert other.get("/").status_code == 200
    assert sign_in(clinic.client(), "nurse-carol", "a-new-long-password").status_code == 303


def test_logout_without_the_csrf_token_is_refused_and_the_session_lives_on(clinic):
    client = clinic.client("nurse-carol")
    assert client.post("/logout", data={}).status_code == 403
    assert client.get("/").status_code == 200


def test_over_https_the_session_cookie_is_secure_and_hsts_is_sent(clinic):
    settings = WebSettings(secure_cookies=True, clock=lambda: clinic.clock.utc)
    client = new_client(create_app(clinic.engine, settings))
    response = sign_in(client, "nurse-carol", password("nurse-carol"), clinic.code("nurse-carol"))
    cookie = response.headers["set-cookie"].lower()
    assert response.status_code == 303 and "; secure" in cookie and "max-age=43200" in cookie
    hsts = "max-age=31536000; includeSubDomains"
    assert client.get("/login").headers["strict-transport-security"] == hsts
    assert "strict-transport-security" not in clinic.client().get("/login").headers


def test_signing_out_tells_the_browser_to_drop_its_cache_and_storage(clinic):
    client = clinic.client("nurse-carol")
    response = client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert response.headers["clear-site-data"] == '"cache", "storage"'


def test_an_unknown_name_is_throttled_like_a_known_one_so_the_lock_reveals_no_names(clinic):
    client = clinic.client()
    answers = []
    for name in ("nurse-carol", "nobody-at-all"):
        for _ in range(MAX_FAILURES):
            sign_in(client, name, "guess-guess-guess")
        answers.append(sign_in(client, name, "guess-guess-guess"))
    assert [a.status_code for a in answers] == [401, 401]
    assert answers[0].text.count("too many failed sign-ins") == 1
    assert answers[1].text.count("too many failed sign-ins") == 1


def test_a_refused_page_is_logged_with_user_role_and_route_but_no_patient_data(clinic, caplog):
    patient = clinic.patient_id()
    with store.transaction(clinic.engine) as db:
        identifier = db.get(store.Patient, patient).identifier
    researcher = clinic.client("res-erin")
    with caplog.at_level(logging.WARNING, logger="itbtwin.web"):
        assert researcher.get(f"/patients/{patient}").status_code == 403
    assert "res-erin (researcher)" in caplog.text and "/patients/{patient_id}" in caplog.text
    assert identifier not in caplog.text and f"/patients/{patient}" not in caplog.text


def test_no_link_or_form_on_the_clinicians_pages_holds_a_patient_identifier(clinic):
    with store.transaction(clinic.engine) as db:
        identifiers = [p.identifier for p in db.scalars(select(store.Patient))]
    client = clinic.client("dr-alice")
    patient = clinic.patient_id()
    for path in ("/", "/patients", f"/patients/{patient}", f"/patients/{patient}/refill"):
        page = client.get(path)
        assert page.status_code == 200
        targets = re.findall(r'(?:href|action|src)="([^"]*)"', page.text)
        assert targets
        assert not [t for t in targets for i in identifiers if i in t]


def test_hostile_text_in_a_url_or_the_sign_in_form_comes_back_escaped_and_finds_nobody(clinic):
    client = clinic.client()
    attack = "' OR '1'='1' --<script>alert(1)</script>"
    response = sign_in(client, attack, attack)
    assert response.status_code == 401 and "<script>alert(1)" not in response.text
    signed_in = clinic.client("nurse-carol")
    page = signed_in.get("/patients/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert page.status_code in (404, 422) and "<script>alert(1)" not in page.text
    assert "Traceback" not in page.text
    audit = signed_in.get("/audit", params={"user": attack})
    assert audit.status_code == 200 and "<script>alert(1)" not in audit.text


def test_the_csp_forbids_plugins_and_base_rewriting_and_no_referrer_is_sent(clinic):
    headers = clinic.client().get("/login").headers
    csp = [d.strip() for d in headers["content-security-policy"].split(";")]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "form-action 'self'" in csp
    assert headers["referrer-policy"] == "no-referrer"


def test_a_64_character_password_of_any_characters_is_accepted_exactly_as_typed(clinic):
    long = "ü ♥ " + "p" * 56 + " end"
    with store.transaction(clinic.engine) as db:
        store.reset_password(db, "admin", "nurse-dan", long)
    assert sign_in(clinic.client(), "nurse-dan", long[:-1]).status_code == 401
    assert sign_in(clinic.client(), "nurse-dan", long).status_code == 303


def test_every_signed_in_page_offers_sign_out(clinic):
    client = clinic.client("dr-alice")
    patient = clinic.patient_id()
    for path in ("/", "/patients", f"/patients/{patient}", "/audit", "/trials"):
        assert 'action="/logout"' in client.get(path).text, path


def test_no_api_documentation_is_served_and_trace_is_not_answered(clinic):
    client = clinic.client("dr-alice")
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code in (303, 404), path
    assert client.request("TRACE", "/").status_code == 405


def test_a_change_whose_commit_fails_is_an_error_page_and_changes_nothing(clinic):
    """The request's transaction commits before its answer is sent: a commit that fails is a
    plain error page, never a redirect that says it was done (ASVS 16.5.3)."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    def fail(session, _context):  # type: ignore[no-untyped-def]
        if any(getattr(o, "action", "") == "user.end_sessions" for o in session.new):
            raise RuntimeError("the disk is full")  # as the commit's last flush writes

    nurse = clinic.client("nurse-carol")
    client = TestClient(clinic.app, base_url="https://testserver", raise_server_exceptions=False)
    client.cookies = nurse.cookies
    form = {"csrf_token": csrf_of(nurse, "/account")}
    event.listen(Session, "after_flush", fail)
    try:
        answer = client.post("/account/sign-out-everywhere", data=form, follow_redirects=False)
    finally:
        event.remove(Session, "after_flush", fail)
    assert answer.status_code == 500 and "nothing was changed" in answer.text
    assert nurse.get("/").status_code == 200  # the session lives on
