"""Server-side sessions: the browser holds a random token, the database its SHA-256 hash.

A sign-in always starts a new session (a token from before is ended, so a planted token never
becomes a signed-in one: session fixation); logout, the idle and absolute timeouts and disabling
the user end it on the server. Each session carries its own CSRF token, checked on every POST
(OWASP CSRF prevention: synchronizer token pattern).

The session cookie is `__Host-` prefixed, `Secure`, `Path=/` and without `Domain` (OWASP ASVS 5.0
3.3.1, 3.3.3) everywhere, the loopback included: browsers treat http://127.0.0.1 and
http://localhost as secure contexts and keep such a cookie there (the browser suite signs in so),
so one cookie serves both the loopback and the workspace behind its TLS proxy.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from fastapi import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin import store
from itbtwin.errors import RecordError
from itbtwin.web._settings import WebSettings

COOKIE = "__Host-itbtwin_session"
LOGIN_COOKIE = "__Secure-itbtwin_login"
"""Cookie of the sign-in form's CSRF token (double-submit: there is no session yet); `__Secure-`
because it lives on the sign-in path only (`__Host-` needs `Path=/`)."""
TOUCH_EVERY_S = 60
"""A session's last use is written at most this often (s), to keep reads read-only."""


@dataclass(frozen=True)
class Visitor:
    """The signed-in user of a request, as plain data."""

    user_id: int
    username: str
    role: str
    csrf_token: str
    session_id: int
    setup: tuple[str, ...] = ()
    """What the user must do before any other page (`store.pending_steps`)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A random token (32 bytes, URL-safe)."""
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a submitted token with the expected one."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def start_session(db: Session, user: store.ClinicUser, now: datetime) -> str:
    """A new session for the user; returns the cookie token (its hash is stored). A user without
    an authenticator app gets the key they may enrol, kept with the session (pages that show it
    only read)."""
    token = new_token()
    db.add(
        store.WebSession(
            token_hash=_digest(token),
            clinic_user_id=user.id,
            csrf_token=new_token(),
            created_at=now,
            last_seen_at=now,
            pending_totp_secret=store.new_totp_secret() if user.totp_secret is None else None,
        )
    )
    return token


def _session(db: Session, token: str) -> store.WebSession | None:
    query = select(store.WebSession).where(store.WebSession.token_hash == _digest(token))
    return db.scalar(query)


def find_visitor(
    db: Session, token: str | None, now: datetime, settings: WebSettings
) -> Visitor | None:
    """The visitor of a live session; a session past a timeout or of a disabled user is ended."""
    if not token:
        return None
    found = _session(db, token)
    if found is None or found.ended_at is not None:
        return None
    expired = (
        now - found.last_seen_at > settings.idle_timeout
        or now - found.created_at > settings.absolute_timeout
    )
    if expired or found.user.disabled:
        found.ended_at = now
        return None
    if (now - found.last_seen_at).total_seconds() >= TOUCH_EVERY_S:
        found.last_seen_at = now
    user = found.user
    setup = store.pending_steps(user, settings.mfa_roles)
    return Visitor(user.id, user.username, user.role, found.csrf_token, found.id, setup)


def set_session_cookie(response: Response, token: str, settings: WebSettings) -> None:
    """The session cookie: `__Host-`, `Secure`, `HttpOnly`, `SameSite=Strict`, for the session's
    absolute lifetime."""
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=True,
        path="/",
        max_age=int(settings.absolute_timeout.total_seconds()),
    )


def rotate_session(db: Session, visitor: Visitor, now: datetime) -> str:
    """End the visitor's session and start a new one (after a password change); the new token."""
    found = db.get(store.WebSession, visitor.session_id)
    if found is not None and found.ended_at is None:
        found.ended_at = now
    return start_session(db, store.find_user(db, visitor.username), now)


def pending_totp_secret(db: Session, visitor: Visitor) -> str:
    """The TOTP seed offered to this session's user for enrolment (made at sign-in, kept on the
    server until a code from it is typed)."""
    found = db.get(store.WebSession, visitor.session_id)
    if found is None or found.pending_totp_secret is None:
        raise RecordError("this session has no key to enrol: sign out and sign in again")
    return found.pending_totp_secret


def end_session(db: Session, token: str | None, now: datetime) -> None:
    """End the session of this token, if any (logout; a new sign-in from the same browser)."""
    found = _session(db, token) if token else None
    if found is not None and found.ended_at is None:
        found.ended_at = now
