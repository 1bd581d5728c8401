"""Sign-in and sign-out. A sign-in ends any session the browser brought and starts a new one; a
user with a temporary password or no authenticator app yet goes to the account set-up first."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from itbtwin import store
from itbtwin.web._deps import Db, Settings, SignedIn, form_of, refuse
from itbtwin.web._pages import render
from itbtwin.web._sessions import (
    COOKIE,
    LOGIN_COOKIE,
    end_session,
    new_token,
    same_token,
    set_session_cookie,
    start_session,
)

router = APIRouter()
log = logging.getLogger("itbtwin.web")


def home_of(role: str) -> str:
    """Where a role lands after signing in."""
    return "/trials" if role == "researcher" else "/"


def _login_page(request: Request, error: str = "", status: int = 200) -> Response:
    token = new_token()
    page = render(request, "login.html", {"login_token": token, "error": error}, status)
    page.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=True, path="/login"
    )
    return page


@router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
async def login(request: Request, db: Db, settings: Settings) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if not same_token(fields.get("login_token"), request.cookies.get(LOGIN_COOKIE, "")):
        raise refuse(request, None, "the sign-in form's security token is missing or wrong")
    now = settings.clock()
    end_session(db, request.cookies.get(COOKIE), now)
    try:
        user = store.authenticate(
            db,
            fields.get("username", ""),
            fields.get("password", ""),
            fields.get("code", ""),
            now=now,
        )
    except store.LoginRefused as refused:
        log.warning("failed sign-in from %s", request.client.host if request.client else "?")
        return _login_page(request, str(refused), 401)
    token = start_session(db, user, now)
    to = "/account/setup" if store.pending_steps(user, settings.mfa_roles) else home_of(user.role)
    response = RedirectResponse(to, status_code=303)
    set_session_cookie(response, token, settings)
    response.delete_cookie(LOGIN_COOKIE, path="/login", secure=True)
    return response


@router.post("/logout")
async def logout(request: Request, db: Db, visitor: SignedIn, settings: Settings) -> Response:
    await form_of(request, visitor)
    end_session(db, request.cookies.get(COOKIE), settings.clock())
    return signed_out()


def signed_out() -> Response:
    """To the sign-in page, the session cookie deleted and the browser told to drop its cache."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, secure=True)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'  # nothing of the patient stays
    return response
