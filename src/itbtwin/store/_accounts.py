"""Clinic users: who may sign in to the web workspace, with which role, and their own changes.

Passwords are checked by `store._password_policy` and hashed by `store._sign_in` (argon2id),
which also checks a sign-in; the functions that hash or check import it, so reading the users
(`itbtwin user list`) loads no argon2. OWASP ASVS 5.0 6.3.2 asks a second factor of every account
at level 2, so every role enrols a TOTP authenticator app at first sign-in (`MFA_ROLES`). A password
set by an administrator is temporary: the user chooses their own at first sign-in, and it is
refused once `password_temporary_until` has passed (ASVS 6.4.1). Every change to a user is
audited like every record, never with a password.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.store._audit import audit, utc_now
from itbtwin.store._password_policy import check_password
from itbtwin.store._roles import MFA_ROLES, ROLES
from itbtwin.store._web_schema import ClinicUser, LoginAttempt, WebSession

TEMPORARY_PASSWORD_LIFETIME = timedelta(hours=72)
"""How long a password set by an administrator can be used for a first sign-in [assumption:
three days to hand it over; `itbtwin user add|reset-password --valid-for`]."""


def second_factor_roles(text: str, what: str = "--second-factor") -> tuple[str, ...]:
    """The roles that must enrol an authenticator app, from "physician,nurse,researcher" (the
    default: OWASP ASVS 5.0 level 2 asks it of every account) or "none"."""
    roles = tuple(r.strip() for r in text.split(",") if r.strip())
    if roles == ("none",):
        return ()
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise RecordError(
            f"{what} {text!r}: expected roles among {', '.join(ROLES)} (comma-separated), or none"
        )
    return roles


def find_user(session: Session, username: str) -> ClinicUser:
    """The user with this name."""
    user = session.scalar(select(ClinicUser).where(ClinicUser.username == username))
    if user is None:
        raise RecordError(f"no user named {username!r}")
    return user


def list_users(session: Session) -> list[ClinicUser]:
    """Every user, by name."""
    return list(session.scalars(select(ClinicUser).order_by(ClinicUser.username)))


def check_user(username: str, role: str) -> str:
    """The user name as stored (stripped), or a `RecordError`: 1-100 printable characters without
    spaces (a newline or a terminal escape code would forge lines in the user list, issue 17)
    and one of `ROLES`. The command line checks both before it asks for the password."""
    name = username.strip()
    if not name or len(name) > 100 or not name.isprintable() or any(c.isspace() for c in name):
        raise RecordError("a user name is 1-100 printable characters without spaces")
    if not name.isascii():  # "аdmin" with a Cyrillic а looks like "admin" (issue 17)
        raise RecordError(
            "a user name is 1-100 printable characters without spaces, in ASCII (letters A-Z, "
            f"digits and punctuation): {name!a} could be taken for another user's"
        )
    if name.startswith(("=", "+", "-", "@")):  # the audit trail's CSV cells (issue 17)
        raise RecordError(
            f"a user name cannot start with {name[0]!r}: a spreadsheet reads it as a formula"
        )
    if role not in ROLES:
        raise RecordError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    return name


def add_user(
    session: Session,
    actor: str,
    username: str,
    role: str,
    password: str,
    *,
    temporary: bool = True,
    enrolled: bool = False,
    valid_for: timedelta = TEMPORARY_PASSWORD_LIFETIME,
    now: datetime | None = None,
    mfa_roles: tuple[str, ...] = MFA_ROLES,
) -> ClinicUser:
    """Add a user. The password is temporary (the user chooses their own at first sign-in, and it
    expires after `valid_for`) unless `temporary` is False; `enrolled` gives a TOTP secret now,
    for accounts whose secret the adding face shows (demo accounts), instead of an enrolment at
    first sign-in. `now`: UTC (default: the clock's). `mfa_roles`: the roles with a second
    factor, which decides the shortest length of a password that is not temporary (a temporary
    one is used alone, so needs the longer length: `check_password`)."""
    from itbtwin.store._sign_in import hash_password  # argon2: only where a password is hashed

    name = check_user(username, role)
    check_password(password, name, second_factor=role in mfa_roles, temporary=temporary)
    same = func.lower(ClinicUser.username) == name.lower()  # "Alice" is "alice" (issue 17)
    if (other := session.scalar(select(ClinicUser.username).where(same))) is not None:
        raise RecordError(f"a user named {other!r} exists already")
    now = now or utc_now()
    user = ClinicUser(
        username=name,
        role=role,
        password_hash=hash_password(password),
        totp_secret=pyotp.random_base32() if enrolled else None,
        disabled=False,
        created_at=now,
        password_temporary_until=now + valid_for if temporary else None,
    )
    session.add(user)
    session.flush()
    what = {"username": name, "role": role, "temporary_password": temporary}
    audit(session, actor, "user.add", "user", user.id, what)
    return user


def disable_user(session: Session, actor: str, username: str, why: str = "") -> ClinicUser:
    """Disable a user: no more sign-ins, and their open sessions end at their next request."""
    user = find_user(session, username)
    if user.disabled:  # a second disable wrote a second audit entry, without a word (issue 17)
        raise RecordError(f"user {user.username!r} is disabled already")
    user.disabled = True
    audit(session, actor, "user.disable", "user", user.id, {"username": user.username}, why)
    return user


def reset_password(
    session: Session,
    actor: str,
    username: str,
    password: str,
    why: str = "",
    *,
    valid_for: timedelta = TEMPORARY_PASSWORD_LIFETIME,
    now: datetime | None = None,
) -> ClinicUser:
    """Set a new temporary password (valid for `valid_for`, to be replaced at first sign-in) and
    re-enable the user. The authenticator app is enrolled again at that sign-in (a reset is what
    a lost phone needs too; the administrator who hands over the password checks who asks, ASVS
    6.4.4). Every open session of the user ends: whoever held the old password or a stolen
    session is signed out (ASVS 7.4.3). The password is the only factor of that sign-in, so it
    has the length of a password used alone, whatever the role (`check_password`)."""
    from itbtwin.store._sign_in import hash_password

    user = find_user(session, username)
    check_password(password, user.username, temporary=True)
    now = now or utc_now()
    user.password_hash = hash_password(password)
    user.password_temporary_until = now + valid_for
    user.disabled = False
    user.totp_secret = None
    end_open_sessions(session, user.id, now)
    audit(session, actor, "user.reset_password", "user", user.id, {"username": username}, why)
    return user


def end_open_sessions(
    session: Session, user_id: int | None, at: datetime, keep: int | None = None
) -> int:
    """End every open session of the user (None: of every user) but `keep` (a session id); how
    many ended."""
    query = update(WebSession).where(WebSession.ended_at.is_(None))
    if user_id is not None:
        query = query.where(WebSession.clinic_user_id == user_id)
    if keep is not None:
        query = query.where(WebSession.id != keep)
    return int(session.execute(query.values(ended_at=at)).rowcount or 0)


def change_password(
    session: Session,
    username: str,
    current: str,
    new: str,
    *,
    now: datetime | None = None,
    keep: int | None = None,
    mfa_roles: tuple[str, ...] = MFA_ROLES,
) -> ClinicUser:
    """A signed-in user sets their own password, giving the current one (ASVS 6.2.2, 6.2.3).
    A wrong current password counts as a failed sign-in (the throttle applies). The password
    stops being temporary; every other session of the user ends (`keep`: the session that asks,
    which the face rotates; `mfa_roles` as for `add_user`). Audited without either password."""
    from itbtwin.store._sign_in import (
        LoginRefused,
        hash_password,
        password_matches,
        refuse_if_throttled,
    )

    at = now or utc_now()
    user = find_user(session, username)
    refuse_if_throttled(session, user.username, at)
    if not password_matches(user, current):
        session.add(LoginAttempt(username=user.username, at=at, succeeded=False))
        raise LoginRefused("the current password is wrong")
    check_password(new, user.username, second_factor=user.role in mfa_roles)
    if password_matches(user, new):
        raise RecordError("the new password must differ from the current one")
    user.password_hash = hash_password(new)
    user.password_temporary_until = None
    ended = end_open_sessions(session, user.id, at, keep)
    what = {"username": user.username, "other_sessions_ended": ended}
    audit(session, user.username, "user.change_password", "user", user.id, what)
    return user


def new_totp_secret() -> str:
    """A random base-32 TOTP seed (160 bits from `secrets`, pyotp)."""
    return pyotp.random_base32()


def totp_uri(username: str, secret: str) -> str:
    """The otpauth:// URI an authenticator app scans or is given for this user's seed."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="itbtwin")


def enrol_totp(
    session: Session,
    username: str,
    secret: str,
    code: str,
    *,
    now: datetime | None = None,
    keep: int | None = None,
) -> ClinicUser:
    """Make `secret` the user's second factor once they typed a code their app made from it
    (the same once-only acceptance as at sign-in). A new factor ends the user's other sessions
    but `keep` (ASVS 7.4.3). Audited without the secret."""
    from itbtwin.store._sign_in import accepted_step

    at = now or utc_now()
    user = find_user(session, username)
    step = accepted_step(secret, user.totp_last_step, code.strip(), at)
    if step is None:
        raise RecordError(
            "that code is not the one the authenticator app shows for this key now "
            "(check that the phone's clock is right, and type the newest code)"
        )
    user.totp_secret, user.totp_last_step = secret, step
    pending = update(WebSession).where(WebSession.clinic_user_id == user.id)
    session.execute(pending.values(pending_totp_secret=None))
    ended = end_open_sessions(session, user.id, at, keep)
    what = {"username": user.username, "other_sessions_ended": ended}
    audit(session, user.username, "user.enrol_totp", "user", user.id, what)
    return user


def pending_steps(user: ClinicUser, mfa_roles: tuple[str, ...] = MFA_ROLES) -> tuple[str, ...]:
    """What the user must do before any other page: choose their own password ("password"),
    enrol an authenticator app ("authenticator")."""
    steps = ["password"] if user.password_temporary_until is not None else []
    if user.role in mfa_roles and user.totp_secret is None:
        steps.append("authenticator")
    return tuple(steps)


def new_password() -> str:
    """A random password of 16 URL-safe characters, for demo accounts and resets."""
    return secrets.token_urlsafe(12)
