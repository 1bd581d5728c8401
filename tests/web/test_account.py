"""The user's own account (issue 17 pt 7, OWASP ASVS 5.0 L2): first sign-in with a temporary
password, enrolment of an authenticator app for every role, password change, sign out
everywhere, and the common-password check."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pyotp
import pytest
from sqlalchemy import select

from itbtwin import store
from itbtwin.errors import RecordError
from itbtwin.web._sessions import COOKIE
from web.conftest import TOTP_STEP_S, csrf_of, password, sign_in

TEMPORARY = "handed-over-at-the-desk"
MINE = "my-own-long-passphrase"


def _add(clinic, name: str = "nurse-new", role: str = "nurse") -> None:  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        store.add_user(db, "admin", name, role, TEMPORARY, now=clinic.clock.utc)


def _code(secret: str, clinic) -> str:  # type: ignore[no-untyped-def]
    return pyotp.TOTP(secret).at(int(clinic.clock.utc.replace(tzinfo=UTC).timestamp()))


def _csrf(client) -> str:  # type: ignore[no-untyped-def]
    """The form token of the account page, or of the set-up page while set-up is pending."""
    in_setup = client.get("/account").status_code == 303
    return csrf_of(client, "/account/setup" if in_setup else "/account")


def _change(client, current: str, new: str, repeat: str | None = None):  # type: ignore[no-untyped-def]
    csrf = _csrf(client)
    form = {"csrf_token": csrf, "current_password": current, "new_password": new}
    return client.post("/account/password", data=form | {"repeat_password": repeat or new})


def _actions(clinic) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        return [(e.action, e.what) for e in store.audit_trail(db, "user")]


def test_a_new_user_chooses_a_password_and_enrols_an_app_before_any_page(clinic):
    _add(clinic)
    client = clinic.client()
    first = sign_in(client, "nurse-new", TEMPORARY)  # no app yet: no code
    assert (first.status_code, first.headers["location"]) == (303, "/account/setup")
    patient = clinic.patient_id()
    for path in ("/", "/patients", f"/patients/{patient}", "/audit", "/account"):
        assert client.get(path).headers["location"] == "/account/setup", path
    refused = client.post(f"/patients/{patient}/assess", data={"csrf_token": _csrf(client)})
    assert refused.headers["location"] == "/account/setup"
    page = client.get("/account/setup").text
    assert "Choose your own password" in page and "Dashboard" not in page
    assert _change(client, TEMPORARY, MINE).headers["location"] == "/account/setup"
    page = client.get("/account/setup").text
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    assert f"secret={key}" in page  # the otpauth:// link carries the same key
    csrf = csrf_of(client, "/account/setup")
    wrong = client.post("/account/authenticator", data={"csrf_token": csrf, "code": "000000"})
    assert wrong.status_code == 400 and "not the one the authenticator app shows" in wrong.text
    code = _code(key, clinic)
    right = client.post("/account/authenticator", data={"csrf_token": csrf, "code": code})
    assert right.headers["location"] == "/account/setup"
    assert client.get("/account/setup").headers["location"] == "/"
    assert client.get(f"/patients/{patient}").status_code == 200
    assert sign_in(clinic.client(), "nurse-new", MINE, code).status_code == 401  # used once
    clinic.clock.advance(timedelta(seconds=TOTP_STEP_S))
    assert sign_in(clinic.client(), "nurse-new", MINE).status_code == 401  # a code is needed now
    assert sign_in(clinic.client(), "nurse-new", MINE, _code(key, clinic)).status_code == 303
    actions = [a for a, _ in _actions(clinic)]
    assert actions[-3:] == ["user.add", "user.change_password", "user.enrol_totp"]


@pytest.mark.parametrize("role", ["physician", "researcher"])
def test_every_role_enrols_an_authenticator_app_at_first_sign_in(clinic, role):
    _add(clinic, "someone-new", role)
    client = clinic.client()
    assert sign_in(client, "someone-new", TEMPORARY).headers["location"] == "/account/setup"
    _change(client, TEMPORARY, MINE)
    assert "Add the workspace to your authenticator app" in client.get("/account/setup").text
    assert client.get("/trials").headers["location"] == "/account/setup"


def test_a_clinic_may_choose_which_roles_need_an_authenticator_app(clinic):
    from dataclasses import replace

    from itbtwin.web import create_app
    from web.conftest import new_client

    _add(clinic, "res-new", "researcher")
    settings = replace(clinic.app.state.settings, mfa_roles=("physician", "nurse"))
    client = new_client(create_app(clinic.engine, settings))
    sign_in(client, "res-new", TEMPORARY)
    assert _change(client, TEMPORARY, MINE).headers["location"] == "/account/setup"
    assert client.get("/account/setup").headers["location"] == "/trials"
    assert client.get("/trials").status_code == 200


def test_a_temporary_password_expires_72_hours_after_it_was_set(clinic):
    _add(clinic)
    clinic.clock.advance(timedelta(hours=71))
    assert sign_in(clinic.client(), "nurse-new", TEMPORARY).status_code == 303
    _add(clinic, "nurse-late")
    clinic.clock.advance(timedelta(hours=72, minutes=1))
    late = sign_in(clinic.client(), "nurse-late", TEMPORARY)
    assert late.status_code == 401 and "temporary password has expired" in late.text
    wrong = sign_in(clinic.client(), "nurse-late", "not-the-password")
    assert "expired" not in wrong.text  # only who knows the password learns it expired


def test_a_user_changes_their_password_giving_the_current_one_and_other_sessions_end(clinic):
    desk, ward = clinic.client("nurse-carol"), clinic.client("nurse-carol")
    other = clinic.client("nurse-dan")
    before = desk.cookies.get(COOKIE)
    response = _change(desk, password("nurse-carol"), MINE)
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/account?changed=password",
    )
    assert desk.cookies.get(COOKIE) != before  # the current session is rotated...
    assert desk.get("/account?changed=password").status_code == 200
    assert "Your password was changed" in desk.get("/account?changed=password").text
    assert ward.get("/").status_code == 303  # ...and every other one ended
    assert other.get("/").status_code == 200
    replay = clinic.client()
    replay.cookies.set(COOKIE, before)
    assert replay.get("/").status_code == 303
    action, what = _actions(clinic)[-1]
    assert action == "user.change_password" and what["other_sessions_ended"] == 1
    assert MINE not in str(what) and password("nurse-carol") not in str(what)
    clinic.clock.advance(timedelta(seconds=TOTP_STEP_S))
    code = clinic.code("nurse-carol")
    assert sign_in(clinic.client(), "nurse-carol", password("nurse-carol"), code).status_code == 401
    assert sign_in(clinic.client(), "nurse-carol", MINE, code).status_code == 303


def test_a_wrong_current_password_is_refused_counted_by_the_throttle_and_changes_nothing(clinic):
    client = clinic.client("nurse-carol")
    wrong = _change(client, "not-my-password", MINE)
    assert wrong.status_code == 400 and "the current password is wrong" in wrong.text
    differ = _change(client, password("nurse-carol"), MINE, MINE + "x")
    assert differ.status_code == 400 and "repetition differ" in differ.text
    with store.transaction(clinic.engine) as db:
        failed = db.scalars(
            select(store.LoginAttempt).where(store.LoginAttempt.succeeded.is_(False))
        ).all()
    assert [a.username for a in failed] == ["nurse-carol"]
    assert "user.change_password" not in [a for a, _ in _actions(clinic)]
    assert client.get("/").status_code == 200


def test_changing_the_password_needs_the_forms_token(clinic):
    client = clinic.client("nurse-carol")
    form = {"current_password": password("nurse-carol"), "new_password": MINE}
    refused = client.post("/account/password", data=form | {"repeat_password": MINE})
    assert refused.status_code == 403
    assert "user.change_password" not in [a for a, _ in _actions(clinic)]


@pytest.mark.parametrize("common", ["1qaz2wsx3edc", "QWERTY123456", "leavemealone"])
def test_a_common_password_is_refused_on_the_web_without_regard_to_case(clinic, common):
    client = clinic.client("nurse-carol")
    refused = _change(client, password("nurse-carol"), common)
    assert refused.status_code == 400 and "most common passwords" in refused.text


def test_sign_out_everywhere_ends_every_session_of_the_user_and_no_one_elses(clinic):
    desk, ward = clinic.client("nurse-carol"), clinic.client("nurse-carol")
    other = clinic.client("nurse-dan")
    response = desk.post("/account/sign-out-everywhere", data={"csrf_token": _csrf(desk)})
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert response.headers["clear-site-data"] == '"cache", "storage"'
    assert desk.get("/").status_code == ward.get("/").status_code == 303
    assert other.get("/").status_code == 200
    action, what = _actions(clinic)[-1]
    assert action == "user.end_sessions" and what["sessions_ended"] == 2


def test_an_administrator_ends_a_users_sessions_from_the_cli(clinic, cli):
    nurse, other = clinic.client("nurse-carol"), clinic.client("nurse-dan")
    url = clinic.engine.url.render_as_string(hide_password=False)
    args = ("--reason", "phone lost", "--by", "admin", "--database", url)
    ended = cli("user", "end-sessions", "nurse-carol", *args)
    assert ended.exit_code == 0 and "1 open session ended" in ended.output
    assert nurse.get("/").status_code == 303 and other.get("/").status_code == 200
    with store.transaction(clinic.engine) as db:
        entry = store.audit_trail(db, "user")[-1]
    assert (entry.action, entry.actor, entry.why) == ("user.end_sessions", "admin", "phone lost")


def test_a_user_in_set_up_can_sign_out(clinic):
    _add(clinic)
    client = clinic.client()
    sign_in(client, "nurse-new", TEMPORARY)
    csrf = csrf_of(client, "/account/setup")
    assert client.post("/logout", data={"csrf_token": csrf}).headers["location"] == "/login"
    assert client.get("/account/setup").headers["location"] == "/login"


def test_the_password_check_refuses_short_common_and_own_name_passwords():
    with pytest.raises(RecordError, match="at least 12 characters"):
        store.check_password("short-pw")
    with pytest.raises(RecordError, match="most common passwords"):
        store.check_password("Sonyericsson")
    with pytest.raises(RecordError, match="user name"):
        store.check_password("nurse-carol-x", "NURSE-CAROL-X")
    store.check_password("correct horse battery staple")
    from itbtwin.store._password_policy import common_passwords

    assert len(common_passwords()) >= 3000  # ASVS 5.0 6.2.4: the 3,000 most common at least


def test_the_account_page_lists_the_users_open_sessions_and_ends_one_of_them(clinic):
    desk, ward = clinic.client("nurse-carol"), clinic.client("nurse-carol")
    other = clinic.client("nurse-dan")
    page = desk.get("/account").text
    ends = re.findall(r'action="(/account/sessions/\d+/end)"', page)
    assert page.count("this browser") == 1 and len(ends) == 1  # the ward's, not this one
    assert desk.post(ends[0], data={"csrf_token": _csrf(desk)}).headers["location"] == "/account"
    assert ward.get("/").status_code == 303 and desk.get("/").status_code == 200
    with store.transaction(clinic.engine) as db:
        carol = store.find_user(db, "nurse-carol").id
        desk_session = db.scalar(
            select(store.WebSession.id).where(
                store.WebSession.clinic_user_id == carol, store.WebSession.ended_at.is_(None)
            )
        )
    theirs = f"/account/sessions/{desk_session}/end"
    assert other.post(theirs, data={"csrf_token": _csrf(other)}).status_code == 404
    assert desk.get("/").status_code == 200
    assert [a for a, _ in _actions(clinic)].count("user.end_session") == 1


def test_an_administrator_signs_every_user_out_at_once_from_the_cli(clinic, cli):
    nurse, doctor = clinic.client("nurse-carol"), clinic.client("dr-alice")
    url = clinic.engine.url.render_as_string(hide_password=False)
    neither = cli("user", "end-sessions", "--database", url)
    assert neither.exit_code != 0 and "name one user, or give --all" in str(neither.exception)
    ended = cli("user", "end-sessions", "--all", "--by", "admin", "--database", url)
    assert ended.exit_code == 0 and "every user: 2 open sessions ended" in ended.output
    assert nurse.get("/").status_code == doctor.get("/").status_code == 303
    with store.transaction(clinic.engine) as db:
        entry = store.audit_trail(db, "user")[-1]
    assert (entry.action, entry.entity_id, entry.what["all_users"]) == (
        "user.end_sessions",
        None,
        True,
    )
