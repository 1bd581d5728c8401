"""The sign-in check: password (argon2id), TOTP code, temporary-password expiry and the throttle.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106). A user enrolled with an
authenticator app also gives its TOTP code (RFC 6238, pyotp), each code accepted once. A name
that failed `MAX_FAILURES` times within `THROTTLE_WINDOW` is refused until the window passes,
whatever the password (the throttle lives in the database, so every server process sees it).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.store._audit import utc_now
from itbtwin.store._web_schema import ClinicUser, LoginAttempt

MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
"""Failed sign-ins allowed per user name within the window before it is locked [assumption]."""

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not a password of anyone")
"""Verified against when the name is unknown, so a wrong name costs as long as a wrong password."""


class LoginRefused(RecordError):
    """The sign-in failed; the message never says whether the name or the password was wrong."""


def hash_password(password: str) -> str:
    """The argon2id hash of a password (argon2-cffi's defaults)."""
    return _hasher.hash(password)


def recent_failures(session: Session, username: str, now: datetime) -> int:
    """Failed attempts for the name within the window and after its last success."""
    last_ok = session.scalar(
        select(func.max(LoginAttempt.id)).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)
        )
    )
    query = select(func.count()).where(
        LoginAttempt.username == username,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.at > now - THROTTLE_WINDOW,
        LoginAttempt.id > (last_ok or 0),
    )
    return int(session.scalar(query) or 0)


def password_matches(user: ClinicUser | None, password: str) -> bool:
    """Argon2 verification (against a dummy hash for an unknown name, so it costs as long)."""
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def _verified(user: ClinicUser | None, password: str, code: str, at: datetime) -> bool:
    ok = password_matches(user, password)
    if user is None or user.disabled or not ok:
        return False
    if user.totp_secret is not None:
        step = accepted_step(user.totp_secret, user.totp_last_step, code.strip(), at)
        if step is None:
            return False
        user.totp_last_step = step
    return True


def accepted_step(secret: str, last_step: int | None, code: str, at: datetime) -> int | None:
    """The time step whose TOTP code `code` is, among the step of `at` and one either side
    (clock drift, RFC 6238 section 6), if later than the last step accepted; None otherwise.
    The caller remembers the step, so a code seen over a shoulder or replayed is refused
    (RFC 6238 section 5.2: the verifier must not accept an OTP a second time)."""
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(at.replace(tzinfo=UTC))
    last = last_step if last_step is not None else -1
    for step in (now_step - 1, now_step, now_step + 1):
        if step > last and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def refuse_if_throttled(session: Session, name: str, at: datetime) -> None:
    """`LoginRefused` (the attempt kept) while the name is locked by its recent failures."""
    if recent_failures(session, name, at) >= MAX_FAILURES:
        session.add(LoginAttempt(username=name, at=at, succeeded=False))
        minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
        raise LoginRefused(f"too many failed sign-ins: try again in {minutes} minutes")


def authenticate(
    session: Session, username: str, password: str, code: str = "", *, now: datetime | None = None
) -> ClinicUser:
    """The user, when the name, password (and TOTP code once enrolled) are right, a temporary
    password has not expired and the name is not throttled. Raises `LoginRefused` otherwise.
    Every attempt is added to the session: catch the refusal inside the transaction so that it
    is kept (the throttle counts it)."""
    at = now or utc_now()
    name = username.strip()[:200]
    refuse_if_throttled(session, name, at)
    user = session.scalar(select(ClinicUser).where(ClinicUser.username == name))
    ok = _verified(user, password, code, at)
    expired = user is not None and (user.password_temporary_until or at) < at
    session.add(LoginAttempt(username=name, at=at, succeeded=ok and not expired))
    if not ok or user is None:
        raise LoginRefused("wrong user name, password or code (or the user is disabled)")
    if expired:
        raise LoginRefused(
            "this temporary password has expired: ask an administrator for a new one "
            "(itbtwin user reset-password)"
        )
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user
