"""What every command on stored records shares: the database, who is working, record times.

A command opens the database (`--database`, else ``ITBTWIN_DATABASE_URL``, else the SQLite file in
the user's data directory), refuses a missing or empty one and an older schema (`itbtwin db
upgrade` creates and upgrades), and does its work in one transaction: an error changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from itbtwin import store
from itbtwin._lazy_exports import imports_without_gc
from itbtwin.errors import RecordError
from itbtwin.typed_dates import DATE, parse_datetime

if TYPE_CHECKING:  # SQLAlchemy is imported when a command opens the records, not by its --help
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

Database = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="Database URL (default: ITBTWIN_DATABASE_URL, else clinic.db in the user data "
        "directory).",
        show_default=False,
    ),
]
By = Annotated[
    str | None,
    typer.Option("--by", help="Who does this (default: ITBTWIN_USER, else the login name)."),
]
At = Annotated[
    str | None,
    typer.Option(
        "--at",
        help='When, clinic time "YYYY-MM-DD HH:MM" (default: now); in the hour repeated when '
        'the clocks go back, with its UTC offset: "2026-10-25 01:30+01:00".',
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
Reason = Annotated[str, typer.Option("--reason", help="Why (written to the audit trail).")]


def engine_for(database: str | None) -> Engine:
    """The engine of an existing clinic whose schema is this version's.

    A command that records never creates a database: a mistyped path would otherwise start an
    empty clinic and a nurse would record into the wrong place (issue 17); `itbtwin db upgrade`
    creates one.
    """
    with imports_without_gc():  # SQLAlchemy: objects that live as long as the process
        from sqlalchemy.exc import DBAPIError, OperationalError

        from itbtwin.store._refusals import refusal

    path = store.sqlite_file(database)
    create = "itbtwin db upgrade" + (f" --database {database}" if database else "")
    if path is not None and not path.exists():
        raise RecordError(
            f"there is no clinic database at {str(path)!r}: check the path, or create it with "
            f"`{create}`"
        )
    engine = store.open_engine(database)
    try:
        if store.current_revision(engine) is None:
            raise RecordError(
                f"the database {engine.url.render_as_string()!r} has no itbtwin records yet: "
                f"create them with `{create}`"
            )
        store.require_current(engine)
    except OperationalError as err:
        engine.dispose()
        raise RecordError(f"cannot use the database {engine.url!r}: {err.orig}") from None
    except DBAPIError as err:
        engine.dispose()
        if (refused := refusal(err, engine)) is not None:
            raise refused from None
        raise
    except BaseException:
        engine.dispose()
        raise
    return engine


@contextmanager
def records(database: str | None) -> Iterator[Session]:
    """One transaction on the clinic's records; any error rolls everything back."""
    with imports_without_gc():  # SQLAlchemy: objects that live as long as the process
        from sqlalchemy.exc import DBAPIError, OperationalError

        from itbtwin.store._refusals import refusal

    engine = engine_for(database)
    try:
        with store.transaction(engine) as session:
            yield session
    except DBAPIError as err:
        if (refused := refusal(err, engine)) is not None:
            raise refused from None  # read-only or permission denied: nothing was changed
        if isinstance(err, OperationalError):
            raise RecordError(f"the database refused the change: {err.orig}") from None
        raise
    finally:
        engine.dispose()


def now() -> datetime:
    """The clinic's wall-clock time now, to the minute."""
    return datetime.now().replace(second=0, microsecond=0)


def when(text: str | None, what: str = "the time", *, offset: bool = False) -> datetime:
    """A record time "YYYY-MM-DD HH:MM" (ISO, T or space), or now when not given.

    With `offset`, a time may carry its UTC offset ("2026-10-25 01:30+01:00", for the hour
    repeated when the clocks go back): the store converts it to the pump's wall time."""
    if text is None:
        return now()
    stripped = text.strip()
    if DATE.fullmatch(stripped):
        raise RecordError(f'{what} {text!r} needs a time of day too: "YYYY-MM-DD HH:MM"')
    parsed = parse_datetime(stripped, offset=True)  # one form: no week date, no 20261112T1000
    if parsed is None:
        raise RecordError(f'{what} {text!r} is not a date and time "YYYY-MM-DD HH:MM"')
    if parsed.tzinfo is not None and not offset:
        raise RecordError(f"{what} {text!r}: give the clinic's local time without a UTC offset")
    return in_clinic_years(parsed, what)


def in_clinic_years(moment: datetime, what: str) -> datetime:
    """A clinic time from 1900 (`store._bounds.EARLIEST_BIRTH`: nobody treated was born before)
    to 10 years ahead (`sim.MAX_SPAN_H`, the longest plan): --as-of 9999-12-31 overflowed the
    calendar in a report (issue 17); the records check each time more closely."""
    from itbtwin.sim import MAX_SPAN_H
    from itbtwin.store._bounds import EARLIEST_BIRTH

    latest = now() + timedelta(hours=MAX_SPAN_H)
    if moment.date() < EARLIEST_BIRTH:
        raise RecordError(
            f"{what} {moment:%Y-%m-%d %H:%M} is before {EARLIEST_BIRTH:%Y}: a clinic time is "
            "from 1900 (nobody treated was born before) to 10 years ahead"
        )
    if moment.replace(tzinfo=None) > latest:
        raise RecordError(
            f"{what} {moment:%Y-%m-%d %H:%M} is in the future beyond {latest:%Y-%m-%d}: a clinic "
            "time is from 1900 to 10 years ahead (the longest plan)"
        )
    return moment


def actor(by: str | None) -> str:
    """Who is working: --by, else ITBTWIN_USER, else the login name. An empty --by is refused:
    it fell back to the login name without a word (issue 17)."""
    if by is not None and not by.strip():
        raise RecordError("--by is empty: give who does this (or leave --by out)")
    return by or store.default_actor()
