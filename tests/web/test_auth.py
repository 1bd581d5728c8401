"""Sign-in, sessions and CSRF (issue 15): argon2 passwords, TOTP for every role, the login
throttle, session fixation, logout and timeouts on the server, CSRF on every POST, headers."""

from __future__ import annotations

import logging
from datetime import UTC, timedelta

from sqlalchemy import select

from itbtwin import store
from itbtwin.store._sign_in import MAX_FAILURES
from itbtwin.web._sessions import COOKIE
from web.conftest import TOTP_STEP_S, csrf_of, password, sign_in


def test_a_nurse_signs_in_with_her_password_and_code_and_lands_on_the_dashboard(clinic):
    client = clinic.client()
    response = sign_in(client, "nurse-carol", password("nurse-carol"), clinic.code("nurse-carol"))
    assert (response.status_code, response.headers["location"]) == (303, "/")
    assert client.get("/").status_code == 200


def test_passwords_are_stored_as_argon2id_hashes_never_as_text(clinic):
    with store.transaction(clinic.engine) as db:
        user = store.find_user(db, "nurse-carol")
        assert user.password_hash.startswith("$argon2id$")
        assert password("nurse-carol") not in user.password_hash


def test_every_role_needs_the_code_of_their_authenticator_app(clinic):
    for name in ("dr-alice", "nurse-carol", "res-erin"):
        client = clinic.client()
        assert sign_in(client, name, password(name)).status_code == 401
        assert sign_in(client, name, password(name), "000000").status_code == 401
        assert sign_in(client, name, password(name), clinic.code(name)).status_code == 303


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(clinic):
    client = clinic.client()
    wrong = sign_in(client, "nurse-carol", "not-her-password")
    unknown = sign_in(client, "nobody-at-all", "not-her-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "wrong user name, password or code" in wrong.text
    assert "wrong user name, password or code" in unknown.text


def test_five_failures_lock_the_name_even_for_the_right_password_until_the_window_passes(clinic):
    client = clinic.client()
    for _ in range(MAX_FAILURES):
        assert sign_in(client, "nurse-carol", "guess-guess-guess").status_code == 401
    locked = sign_in(client, "nurse-carol", password("nurse-carol"), clinic.code("nurse-carol"))
    assert locked.status_code == 401 and "too many failed sign-ins" in locked.text
    clinic.clock.advance(timedelta(minutes=16))
    right = sign_in(client, "nurse-carol", password("nurse-carol"), clinic.code("nurse-carol"))
    assert right.status_code == 303


def test_the_throttle_lives_in_the_database(clinic):
    sign_in(clinic.client(), "nurse-carol", "guess-guess-guess")
    with store.transaction(clinic.engine) as db:
        attempts = db.scalars(select(store.LoginAttempt)).all()
        assert [(a.username, a.succeeded) for a in attempts] == [("nurse-carol", False)]


def test_failed_sign_ins_are_logged_without_the_password(clinic, caplog):
    with caplog.at_level(logging.WARNING, logger="itbtwin.web"):
        sign_in(clinic.client(), "nurse-carol", "secret-guess-123")
    assert "failed sign-in" in caplog.text
    assert "secret-guess-123" not in caplog.text


def test_a_disabled_user_cannot_sign_in_and_their_open_session_ends(clinic):
    client = clinic.client("nurse-carol")
    with store.transaction(clinic.engine) as db:
        store.disable_user(db, "admin", "nurse-carol", "left the clinic")
    assert client.get("/").status_code == 303
    clinic.clock.advance(timedelta(seconds=TOTP_STEP_S))  # a fresh code: only the user is refused
    code = clinic.code("nurse-carol")
    assert sign_in(clinic.client(), "nurse-carol", password("nurse-carol"), code).status_code == 401


def test_signing_in_rotates_the_session_so_a_planted_token_is_worthless(clinic):
    victim = clinic.client("nurse-carol")
    planted = victim.cookies.get(COOKIE)
    clinic.clock.advance(timedelta(seconds=TOTP_STEP_S))
    code = clinic.code("nurse-carol")
    assert sign_in(victim, "nurse-carol", password("nurse-carol"), code).status_code == 303
    fresh = victim.cookies.get(COOKIE)
    assert fresh != planted
    attacker = clinic.client()
    attacker.cookies.set(COOKIE, planted)
    assert attacker.get("/").status_code == 303  # the old session was ended at the new sign-in


def test_the_session_cookie_is_http_only_and_same_site_strict(clinic):
    code = clinic.code("nurse-carol")
    response = sign_in(clinic.client(), "nurse-carol", password("nurse-carol"), code)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_the_session_cookie_is_host_prefixed_secure_for_every_path_and_no_other_host(clinic):
    code = clinic.code("nurse-carol")
    response = sign_in(clinic.client(), "nurse-carol", password("nurse-carol"), code)
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith("__Host-")]
    assert len(cookies) == 1
    attributes = [a.strip().lower() for a in cookies[0].split(";")[1:]]
    assert "secure" in attributes and "path=/" in attributes
    assert not [a for a in attributes if a.startswith("domain")]
    form = clinic.client().get("/login").headers["set-cookie"]
    assert form.startswith("__Secure-") and "; secure" in form.lower()  # the sign-in form's token


def test_logout_ends_the_session_on_the_server(clinic):
    client = clinic.client("nurse-carol")
    token = client.cookies.get(COOKIE)
    response = client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    replay = clinic.client()
    replay.cookies.set(COOKIE, token)
    assert replay.get("/").status_code == 303


def test_a_session_ends_after_30_idle_minutes(clinic):
    client = clinic.client("nurse-carol")
    clinic.clock.advance(timedelta(minutes=29))
    assert client.get("/audit").status_code == 200
    clinic.clock.advance(timedelta(minutes=29))
    assert client.get("/audit").status_code == 200  # used: the idle time starts again
    clinic.clock.advance(timedelta(minutes=31))
    assert client.get("/audit").status_code == 303


def test_a_session_ends_12_hours_after_sign_in_however_busy(clinic):
    client = clinic.client("nurse-carol")
    for _ in range(12 * 3 + 1):  # one request every 20 min, past 12 h
        clinic.clock.advance(timedelta(minutes=20))
        status = client.get("/audit").status_code
    assert status == 303


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(clinic):
    client = clinic.client("nurse-carol")
    patient = clinic.patient_id()
    form = {"muscle_0": "hip adductors L", "grade_0": "2"}
    assert client.post(f"/patients/{patient}/assess", data=form).status_code == 403
    wrong = form | {"csrf_token": "x" * 43}
    assert client.post(f"/patients/{patient}/assess", data=wrong).status_code == 403
    with store.transaction(clinic.engine) as db:
        assert not [e for e in store.audit_trail(db) if e.actor == "nurse-carol"]


def test_another_users_csrf_token_does_not_work(clinic):
    carol, dan = clinic.client("nurse-carol"), clinic.client("nurse-dan")
    patient = clinic.patient_id()
    form = {"csrf_token": csrf_of(dan), "muscle_0": "hip adductors L", "grade_0": "2"}
    assert carol.post(f"/patients/{patient}/assess", data=form).status_code == 403


def test_the_sign_in_form_needs_its_own_token(clinic):
    client = clinic.client()
    data = {"username": "nurse-carol", "password": password("nurse-carol")}
    assert client.post("/login", data=data).status_code == 403


def test_every_page_carries_the_security_headers_and_patient_pages_are_not_cached(clinic):
    client = clinic.client("nurse-carol")
    for path in ("/login", "/", f"/patients/{clinic.patient_id()}"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/plotly.min.js").headers.get("cache-control") != "no-store"


def test_no_page_holds_an_inline_script(clinic):
    client = clinic.client("dr-alice")
    page = client.get(f"/patients/{clinic.patient_id()}").text
    scripts = page.split("<script")[1:]
    assert scripts
    for script in scripts:
        head = script.split(">")[0]
        assert 'src="/static/' in head or 'type="application/json"' in head


def test_a_totp_code_is_accepted_once_and_a_replay_within_its_window_is_refused(clinic):
    code = clinic.code("dr-alice")
    first = sign_in(clinic.client(), "dr-alice", password("dr-alice"), code)
    replay = sign_in(clinic.client(), "dr-alice", password("dr-alice"), code)
    assert (first.status_code, replay.status_code) == (303, 401)
    clinic.clock.advance(timedelta(seconds=30))
    assert sign_in(clinic.client(), "dr-alice", password("dr-alice"), code).status_code == 401
    fresh = sign_in(clinic.client(), "dr-alice", password("dr-alice"), clinic.code("dr-alice"))
    assert fresh.status_code == 303


def test_the_step_of_the_last_accepted_totp_code_is_stored_per_user(clinic):
    clinic.client("dr-alice")
    step = int(clinic.clock.utc.replace(tzinfo=UTC).timestamp()) // 30
    with store.transaction(clinic.engine) as db:
        assert store.find_user(db, "dr-alice").totp_last_step == step
        assert store.find_user(db, "dr-bob").totp_last_step is None
