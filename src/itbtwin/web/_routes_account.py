"""The signed-in user's own account: first sign-in set-up, password change, sign out everywhere.

A user whose password was set by an administrator, or who has no authenticator app yet, is sent
here before any other page (`_deps.SetupNeeded`): first they choose their own password, then
they enrol the app by typing a code it makes from the key shown (OWASP ASVS 5.0 6.4.1, 6.3.2).
A password change needs the current password and ends the user's other sessions; the current
one is rotated (ASVS 6.2.3, 7.4.3). The account page lists the user's open sessions; the user
ends any of them, or every one with "sign out everywhere" (ASVS 7.5.2). Each is audited without
a password or key.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from itbtwin import store
from itbtwin.errors import RecordError
from itbtwin.web._deps import Anyone, Db, Settings, SignedIn, check_id, form_of
from itbtwin.web._pages import render
from itbtwin.web._qr import qr_svg
from itbtwin.web._routes_auth import home_of, signed_out
from itbtwin.web._sessions import (
    Visitor,
    pending_totp_secret,
    rotate_session,
    set_session_cookie,
)

router = APIRouter()
NOT_OURS = "no such open session of yours"
"""The same words as `store.end_own_session`'s refusal: an id says nothing of other users."""


def _setup_page(
    request: Request, db: Db, visitor: Visitor, error: str = "", status: int = 200
) -> Response:
    context: dict[str, object] = {"step": visitor.setup[0], "error": error}
    context["min_password"] = _min_password(request, visitor)
    if visitor.setup[0] == "authenticator":
        secret = pending_totp_secret(db, visitor)
        context["key"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        context["uri"] = store.totp_uri(visitor.username, secret)
        context["qr"] = qr_svg(context["uri"])
    return render(request, "account_setup.html", context, status)


def _account_page(
    request: Request, db: Db, visitor: Visitor, error: str = "", status: int = 200
) -> Response:
    settings = request.app.state.settings
    sessions = store.open_sessions(
        db, visitor.username, settings.clock(), settings.idle_timeout, settings.absolute_timeout
    )
    context = {
        "error": error,
        "changed": request.query_params.get("changed") == "password",
        "sessions": sessions,
        "this_session": visitor.session_id,
        "min_password": _min_password(request, visitor),
    }
    return render(request, "account.html", context, status)


def _min_password(request: Request, visitor: Visitor) -> int:
    """The shortest password this user may choose: longer for a role without a second factor
    (`store.min_password`, ASVS 5.0 6.2.1)."""
    return store.min_password(visitor.role in request.app.state.settings.mfa_roles)


@router.get("/account")
def account(request: Request, db: Db, visitor: Anyone) -> Response:
    return _account_page(request, db, visitor)


@router.get("/account/setup")
def setup(request: Request, db: Db, visitor: SignedIn) -> Response:
    if not visitor.setup:
        return RedirectResponse(home_of(visitor.role), 303)
    return _setup_page(request, db, visitor)


@router.post("/account/password")
async def change_password(
    request: Request, db: Db, visitor: SignedIn, settings: Settings
) -> Response:
    form = await form_of(request, visitor)
    now = settings.clock()
    try:
        if form.get("new_password", "") != form.get("repeat_password", ""):
            raise RecordError("the new password and its repetition differ")
        store.change_password(
            db,
            visitor.username,
            form.get("current_password", ""),
            form.get("new_password", ""),
            now=now,
            keep=visitor.session_id,
            mfa_roles=settings.mfa_roles,
        )
    except RecordError as refused:  # the transaction keeps a wrong current password's attempt
        if visitor.setup:
            return _setup_page(request, db, visitor, str(refused), 400)
        return _account_page(request, db, visitor, str(refused), 400)
    token = rotate_session(db, visitor, now)
    to = "/account/setup" if visitor.setup else "/account?changed=password"
    response = RedirectResponse(to, status_code=303)
    set_session_cookie(response, token, settings)
    return response


@router.post("/account/authenticator")
async def enrol_authenticator(
    request: Request, db: Db, visitor: SignedIn, settings: Settings
) -> Response:
    form = await form_of(request, visitor)
    if "authenticator" not in visitor.setup:
        return RedirectResponse("/account/setup", status_code=303)
    try:
        secret = pending_totp_secret(db, visitor)
        store.enrol_totp(
            db,
            visitor.username,
            secret,
            form.get("code", ""),
            now=settings.clock(),
            keep=visitor.session_id,
        )
    except RecordError as refused:
        return _setup_page(request, db, visitor, str(refused), 400)
    return RedirectResponse("/account/setup", status_code=303)


@router.post("/account/sessions/{session_id}/end")
async def end_session(request: Request, db: Db, visitor: Anyone, session_id: int) -> Response:
    await form_of(request, visitor)
    if session_id == visitor.session_id:
        return RedirectResponse("/account", status_code=303)  # this one ends by signing out
    try:
        store.end_own_session(db, visitor.username, check_id(session_id, NOT_OURS))
    except RecordError as refused:
        raise HTTPException(404, str(refused)) from None
    return RedirectResponse("/account", status_code=303)


@router.post("/account/sign-out-everywhere")
async def sign_out_everywhere(request: Request, db: Db, visitor: SignedIn) -> Response:
    await form_of(request, visitor)
    store.end_user_sessions(db, visitor.username, visitor.username, "signed out everywhere")
    return signed_out()
