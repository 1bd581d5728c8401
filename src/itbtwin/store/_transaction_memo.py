"""What the current (sub)transaction already knows, so a transaction of many writes (the demo
clinic: thousands of records in one transaction, issue 13) does not read or delete it again.

A value is remembered by the innermost transaction (a savepoint, else the session's transaction)
and only read back while that same transaction is active and innermost: a savepoint begun,
released or rolled back, or a new transaction, forgets it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, SessionTransaction


def innermost(session: Session) -> SessionTransaction | None:
    """The savepoint in progress, else the session's transaction (None outside one)."""
    return session.get_nested_transaction() or session.get_transaction()


def remembered(session: Session, key: str) -> Any | None:
    """What `remember` stored under `key` in the current (sub)transaction, else None."""
    held = session.info.get(key)
    if held is None:
        return None
    transaction, value = held
    if transaction is None or not transaction.is_active or transaction is not innermost(session):
        return None
    return value


def remember(session: Session, key: str, value: Any) -> None:
    """Keep `value` under `key` for the current (sub)transaction."""
    session.info[key] = (innermost(session), value)


def forget(session: Session, key: str) -> None:
    """Drop what is remembered under `key`."""
    session.info.pop(key, None)
