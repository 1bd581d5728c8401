"""Users' open sessions of the web workspace: which are open, and ending them (OWASP ASVS 5.0
7.4.5: an administrator ends one user's sessions or everyone's; 7.5.2: users see their own and
end any or all of them). Every ending is audited with who asked and how many ended.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.store._accounts import end_open_sessions, find_user
from itbtwin.store._audit import audit, utc_now
from itbtwin.store._web_schema import WebSession


def open_sessions(
    session: Session, username: str, now: datetime, idle: timedelta, absolute: timedelta
) -> list[WebSession]:
    """The user's sessions that are neither ended nor past the idle or absolute timeout (UTC
    `now`), the most recently used first."""
    user = find_user(session, username)
    query = (
        select(WebSession)
        .where(
            WebSession.clinic_user_id == user.id,
            WebSession.ended_at.is_(None),
            WebSession.last_seen_at >= now - idle,
            WebSession.created_at >= now - absolute,
        )
        .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())
    )
    return list(session.scalars(query))


def end_user_sessions(
    session: Session, actor: str, username: str, why: str = "", *, keep: int | None = None
) -> int:
    """Sign a user out everywhere: every open session ends now (but `keep`, a session id).
    Audited; how many ended."""
    user = find_user(session, username)
    ended = end_open_sessions(session, user.id, utc_now(), keep)
    what = {"username": user.username, "sessions_ended": ended}
    audit(session, actor, "user.end_sessions", "user", user.id, what, why)
    return ended


def end_every_session(session: Session, actor: str, why: str = "") -> int:
    """Sign every user out (a suspected breach, a change of server). Audited; how many ended."""
    ended = end_open_sessions(session, None, utc_now())
    audit(
        session,
        actor,
        "user.end_sessions",
        "user",
        None,
        {"all_users": True, "sessions_ended": ended},
        why,
    )
    return ended


def end_own_session(session: Session, username: str, session_id: int) -> None:
    """A user ends one of their own open sessions (another browser). Refused for a session that
    is not theirs or not open, without saying which."""
    user = find_user(session, username)
    found = session.get(WebSession, session_id)
    if found is None or found.clinic_user_id != user.id or found.ended_at is not None:
        raise RecordError("no such open session of yours")
    found.ended_at = utc_now()
    audit(session, username, "user.end_session", "user", user.id, {"username": username})
