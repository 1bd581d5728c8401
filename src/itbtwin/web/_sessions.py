"""Server-side sessions: the browser holds a random token, the database its SHA-256 hash.

A sign-in always starts a new session (a token from before is ended, so a planted token never
becomes a signed-in one: session fixation); logout, the idle and absolute timeouts and disabling
the user end it on the server. Each session carries its own CSRF token, checked on every POST
(OWASP CSRF prevention: synchronizer token pattern).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin import store
from itbtwin.web._settings import WebSettings

COOKIE = "itbtwin_session"
LOGIN_COOKIE = "itbtwin_login"
"""Cookie of the sign-in form's CSRF token (double-submit: there is no session yet)."""
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


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A random token (32 bytes, URL-safe)."""
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a submitted token with the expected one."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def start_session(db: Session, user: store.ClinicUser, now: datetime) -> str:
    """A new session for the user; returns the cookie token (its hash is stored)."""
    token = new_token()
    db.add(
        store.WebSession(
            token_hash=_digest(token),
            clinic_user_id=user.id,
            csrf_token=new_token(),
            created_at=now,
            last_seen_at=now,
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
    return Visitor(user.id, user.username, user.role, found.csrf_token, found.id)


def end_session(db: Session, token: str | None, now: datetime) -> None:
    """End the session of this token, if any (logout; a new sign-in from the same browser)."""
    found = _session(db, token) if token else None
    if found is not None and found.ended_at is None:
        found.ended_at = now
