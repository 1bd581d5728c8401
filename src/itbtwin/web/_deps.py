"""What routes depend on: the request's transaction, the signed-in visitor, their role, the CSRF
token and the records a URL names (by surrogate id, never a patient identifier).

A refusal is logged with the user, role and route only, never patient data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from itbtwin import store
from itbtwin.store._refusals import refusal
from itbtwin.web._sessions import COOKIE, Visitor, find_visitor, same_token
from itbtwin.web._settings import WebSettings

log = logging.getLogger("itbtwin.web")
Record = TypeVar("Record")


class NotSignedIn(Exception):
    """No live session: the visitor is sent to the sign-in page."""


class SetupNeeded(Exception):
    """A live session whose user must first choose their password or enrol an authenticator
    app: the visitor is sent to the account set-up page, before any page with patient data."""


def settings_of(request: Request) -> WebSettings:
    return request.app.state.settings


READS = ("GET", "HEAD")


def get_db(request: Request) -> Iterator[Session]:
    """One transaction per request: a read transaction for a page (GET), a write transaction for
    a form (POST) that commits when the answer is made, or rolls back on error."""
    state = request.app.state
    if request.method in READS and state.read_engine is not state.engine:
        with Session(state.read_engine) as session, session.begin():
            session.info["writer"] = state.engine
            yield session
        return
    with store.transaction(state.engine) as session:
        yield session


Db = Annotated[Session, Depends(get_db, scope="function")]
"""Committed before the answer is sent (FastAPI's "function" scope): the page a redirect leads to
sees the change, and a failed commit is an error page, not a success (the "request" scope
committed after sending, so on PostgreSQL the next request could read the old rows)."""
Settings = Annotated[WebSettings, Depends(settings_of)]


def signed_in(request: Request, settings: Settings) -> Visitor:
    """The signed-in visitor, set-up done or not, or `NotSignedIn` (in a short transaction of its
    own: the session's last use and its end are written whatever the page does)."""
    engine, token, now = request.app.state.engine, request.cookies.get(COOKIE), settings.clock()
    try:
        with store.transaction(engine) as db:
            visitor = find_visitor(db, token, now, settings)
    except DBAPIError as err:
        if refusal(err, engine) is None:
            raise
        with Session(engine) as db:  # a read-only clinic: read the session, write nothing
            visitor = find_visitor(db, token, now, settings)
            db.rollback()
    if visitor is None:
        raise NotSignedIn
    request.state.visitor = visitor
    return visitor


def current_visitor(visitor: Annotated[Visitor, Depends(signed_in)]) -> Visitor:
    """The signed-in visitor whose account set-up is done, or `SetupNeeded`."""
    if visitor.setup:
        raise SetupNeeded
    return visitor


def refuse(request: Request, visitor: Visitor | None, why: str, status: int = 403) -> HTTPException:
    """A logged refusal (user, role, route: no patient data)."""
    route = getattr(request.scope.get("route"), "path", "?")
    who = f"{visitor.username} ({visitor.role})" if visitor else "anonymous"
    log.warning("refused %s %s for %s: %s", request.method, route, who, why)
    return HTTPException(status, why)


def require(*roles: str) -> Callable[..., Visitor]:
    """A dependency: the visitor, when their role is one of `roles`; 403 otherwise."""

    def check(request: Request, visitor: Annotated[Visitor, Depends(current_visitor)]) -> Visitor:
        if visitor.role not in roles:
            raise refuse(request, visitor, "this page is not for your role")
        return visitor

    return check


async def form_of(request: Request, visitor: Visitor) -> dict[str, str]:
    """The posted form as text fields, after checking its CSRF token against the session's."""
    form = await request.form()
    if not same_token(form.get("csrf_token"), visitor.csrf_token):  # type: ignore[arg-type]
        raise refuse(request, visitor, "the form's security token is missing or wrong")
    return {k: v for k, v in form.items() if isinstance(v, str)}


MAX_RECORD_ID = 2**31 - 1
"""The largest surrogate id: the id columns are PostgreSQL INTEGERs (SQLite's hold more, but its
ids count up from 1 too, and no clinic keeps two billion records of one kind)."""


def check_id(record_id: int, why: str = "no such record") -> int:
    """The id from a URL, or 404 for one no record can have (issue 17: /patients/10^20 reached
    the database driver, whose OverflowError was a server error; on PostgreSQL 2^31 was one)."""
    if not 1 <= record_id <= MAX_RECORD_ID:
        raise HTTPException(404, why)
    return record_id


def record_or_404(db: Session, kind: type[Record], record_id: int) -> Record:
    """The record with this surrogate id, or 404."""
    found = db.get(kind, check_id(record_id))
    if found is None:
        raise HTTPException(404, "no such record")
    return found


@contextmanager
def savepoint(db: Session) -> Iterator[None]:
    """A change that is stored whole or not at all, inside the request's transaction."""
    with db.begin_nested():
        yield


Clinician = Annotated[Visitor, Depends(require("physician", "nurse"))]
Physician = Annotated[Visitor, Depends(require("physician"))]
Researcher = Annotated[Visitor, Depends(require("researcher", "physician"))]
Anyone = Annotated[Visitor, Depends(current_visitor)]
SignedIn = Annotated[Visitor, Depends(signed_in)]
"""Any live session, also one whose account set-up is pending (the set-up pages, sign-out)."""
