"""Clinic users: who may sign in to the web workspace, with which role, and the sign-in check.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106); physicians also give a
TOTP code (RFC 6238, pyotp) because they confirm program changes and override blocks. A name
that failed `MAX_FAILURES` times within `THROTTLE_WINDOW` is refused until the window passes,
whatever the password (the throttle lives in the database, so every server process sees it).
Adding, disabling and resetting users is audited like every record.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.store._audit import audit, utc_now
from itbtwin.store._web_schema import ClinicUser, LoginAttempt, WebSession

ROLES = ("physician", "nurse", "researcher")
"""Physician: prescribes, confirms changes, may override a block; nurse: refills, assessments,
proposes changes; researcher: de-identified views and virtual trials (issue 15)."""
TOTP_ROLES = ("physician",)
MIN_PASSWORD = 12
"""Shortest password accepted (characters) [assumption: NIST SP 800-63B asks for 8 or more]."""
MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
"""Failed sign-ins allowed per user name within the window before it is locked [assumption]."""

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not a password of anyone")
"""Verified against when the name is unknown, so a wrong name costs as long as a wrong password."""


class LoginRefused(RecordError):
    """The sign-in failed; the message never says whether the name or the password was wrong."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise RecordError(f"a password needs at least {MIN_PASSWORD} characters")


def find_user(session: Session, username: str) -> ClinicUser:
    """The user with this name."""
    user = session.scalar(select(ClinicUser).where(ClinicUser.username == username))
    if user is None:
        raise RecordError(f"no user named {username!r}")
    return user


def list_users(session: Session) -> list[ClinicUser]:
    """Every user, by name."""
    return list(session.scalars(select(ClinicUser).order_by(ClinicUser.username)))


def add_user(session: Session, actor: str, username: str, role: str, password: str) -> ClinicUser:
    """Add a user; a physician gets a fresh TOTP secret (shown once by the face that adds them)."""
    name = username.strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise RecordError("a user name is 1-100 characters without spaces")
    if role not in ROLES:
        raise RecordError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    _check_password(password)
    if session.scalar(select(ClinicUser).where(ClinicUser.username == name)) is not None:
        raise RecordError(f"a user named {name!r} exists already")
    user = ClinicUser(
        username=name,
        role=role,
        password_hash=_hasher.hash(password),
        totp_secret=pyotp.random_base32() if role in TOTP_ROLES else None,
        disabled=False,
        created_at=utc_now(),
    )
    session.add(user)
    session.flush()
    audit(session, actor, "user.add", "user", user.id, {"username": name, "role": role})
    return user


def disable_user(session: Session, actor: str, username: str, why: str = "") -> ClinicUser:
    """Disable a user: no more sign-ins, and their open sessions end at their next request."""
    user = find_user(session, username)
    user.disabled = True
    audit(session, actor, "user.disable", "user", user.id, {"username": user.username}, why)
    return user


def reset_password(
    session: Session, actor: str, username: str, password: str, why: str = ""
) -> ClinicUser:
    """Set a new password (and re-enable the user); a physician gets a new TOTP secret too.
    Every open session of the user ends: whoever held the old password or a stolen session is
    signed out (OWASP ASVS 5.0 V7.4.3)."""
    _check_password(password)
    user = find_user(session, username)
    user.password_hash = _hasher.hash(password)
    user.disabled = False
    if user.role in TOTP_ROLES:
        user.totp_secret = pyotp.random_base32()
    session.execute(
        update(WebSession)
        .where(WebSession.clinic_user_id == user.id, WebSession.ended_at.is_(None))
        .values(ended_at=utc_now())
    )
    audit(session, actor, "user.reset_password", "user", user.id, {"username": username}, why)
    return user


def totp_uri(user: ClinicUser) -> str | None:
    """The otpauth:// URI an authenticator app scans (None: this role has no second factor)."""
    if user.totp_secret is None:
        return None
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name="itbtwin")


def _recent_failures(session: Session, username: str, now: datetime) -> int:
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


def _verified(user: ClinicUser | None, password: str, code: str, at: datetime) -> bool:
    try:
        ok = _hasher.verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if user is None or user.disabled or not ok:
        return False
    if user.totp_secret is not None:
        return _accept_code(user, code.strip(), at)
    return True


def _accept_code(user: ClinicUser, code: str, at: datetime) -> bool:
    """Whether `code` is the user's TOTP code for the step of `at` or one step either side
    (clock drift, RFC 6238 section 6) and later than the last step accepted; the accepted step
    is then remembered, so a code seen over a shoulder or replayed is refused (RFC 6238
    section 5.2: the verifier must not accept an OTP a second time)."""
    totp = pyotp.TOTP(user.totp_secret or "")
    now_step = totp.timecode(at.replace(tzinfo=UTC))
    last = user.totp_last_step if user.totp_last_step is not None else -1
    for step in (now_step - 1, now_step, now_step + 1):
        if step > last and secrets.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def authenticate(
    session: Session, username: str, password: str, code: str = "", *, now: datetime | None = None
) -> ClinicUser:
    """The user, when the name, password (and TOTP code for a physician) are right and the name
    is not throttled. Raises `LoginRefused` otherwise. Every attempt is added to the session:
    catch the refusal inside the transaction so that it is kept (the throttle counts it)."""
    at = now or utc_now()
    name = username.strip()[:200]
    if _recent_failures(session, name, at) >= MAX_FAILURES:
        session.add(LoginAttempt(username=name, at=at, succeeded=False))
        minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
        raise LoginRefused(f"too many failed sign-ins: try again in {minutes} minutes")
    user = session.scalar(select(ClinicUser).where(ClinicUser.username == name))
    ok = _verified(user, password, code, at)
    session.add(LoginAttempt(username=name, at=at, succeeded=ok))
    if not ok or user is None:
        raise LoginRefused("wrong user name, password or code (or the user is disabled)")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def new_password() -> str:
    """A random password of 16 URL-safe characters, for demo accounts and resets."""
    return secrets.token_urlsafe(12)
