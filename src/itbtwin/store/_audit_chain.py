"""The audit trail's chain of digests: a removed or edited entry is found (issue 17 point 5).

The database already refuses UPDATE and DELETE on the trail (migration 0002), but someone with
the file can still remove a row. Each audit entry therefore gets a row in `audit_chain` whose
`digest` is the SHA-256 of the previous entry's digest and this entry's contents, written in the
same transaction as the entry (a flush listener on every session). `verify_chain` recomputes the
chain: the first entry whose digest differs names where the trail was changed. A removal of the
newest entries leaves no later digest to break; `itbtwin db check` prints the newest digest so a
clinic can note it elsewhere (docs/records.md).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, event, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from itbtwin.store._engine import has_table
from itbtwin.store._schema import AuditEntry, Base
from itbtwin.store._transaction_memo import remember, remembered

FIELDS = ("id", "at", "actor", "action", "entity", "entity_id", "what", "why")
"""What an entry's digest covers."""


class AuditLink(Base):
    """One audit entry's place in the chain (append-only, like the trail)."""

    __tablename__ = "audit_chain"
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))


def digest(previous: str, entry: dict[str, Any]) -> str:
    """SHA-256 (hex) of the previous digest and the entry's fields, canonical JSON."""
    fields = {name: entry[name] for name in FIELDS}
    at = fields["at"]
    fields["at"] = at.isoformat() if isinstance(at, datetime) else str(at)
    text_ = json.dumps([previous, fields], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in FIELDS}


@event.listens_for(Session, "before_flush")
def _serialise_writers(session: Session, _context: object, _instances: object) -> None:
    """On PostgreSQL, one transaction at a time adds to the trail, so ids follow the chain
    (SQLite's BEGIN IMMEDIATE already serialises every writer)."""
    adding = any(isinstance(o, AuditEntry) for o in session.new)
    if adding and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(727001)"))


@event.listens_for(Session, "after_flush")
def _chain_new_entries(session: Session, _context: object) -> None:
    """Give each audit entry flushed now its digest, in id order, in the same transaction."""
    entries = sorted((o for o in session.new if isinstance(o, AuditEntry)), key=lambda e: e.id)
    if not entries or not has_table(session, AuditLink.__tablename__):
        return
    previous = _newest_digest(session)
    links = []
    for entry in entries:
        previous = digest(previous, _fields(entry))
        links.append({"audit_id": entry.id, "digest": previous})
    session.execute(AuditLink.__table__.insert(), links)
    remember(session, _NEWEST, previous)


_NEWEST = "itbtwin.newest_audit_digest"
"""`Session.info` key: the digest this (sub)transaction wrote last (`_transaction_memo`)."""


def _newest_digest(session: Session) -> str:
    """The chain's newest digest: the one this (sub)transaction wrote last (it holds the
    trail's writer lock, so no one else can add to it: issue 13, a demo clinic writes thousands
    of entries in one transaction), else read from the table."""
    newest = remembered(session, _NEWEST)
    if newest is not None:
        return newest
    last = select(AuditLink.digest).order_by(AuditLink.audit_id.desc()).limit(1)
    return session.execute(last).scalar() or ""


@dataclass(frozen=True)
class ChainCheck:
    """What `verify_chain` found: entries checked, the first break (None: intact), newest digest."""

    entries: int
    broken_at: int | None
    problem: str
    newest: str


def verify_chain(session: Session) -> ChainCheck:
    """Recompute the chain over the whole trail, oldest first."""
    links = {i: d for i, d in session.execute(select(AuditLink.audit_id, AuditLink.digest))}
    entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    removed = sorted(set(links) - {e.id for e in entries})
    if removed:
        where = f"audit entry {removed[0]} was removed (its digest remains)"
        return ChainCheck(len(entries), removed[0], where, "")
    previous = ""
    for count, entry in enumerate(entries, start=1):
        stored = links.get(entry.id)
        if stored is None:
            return ChainCheck(count, entry.id, f"audit entry {entry.id} has no digest", previous)
        if stored != digest(previous, _fields(entry)):
            return ChainCheck(
                count,
                entry.id,
                f"audit entry {entry.id} ({entry.action} by {entry.actor}) does not match the "
                "chain: it was changed, or an entry before it was removed",
                previous,
            )
        previous = stored
    return ChainCheck(len(entries), None, "", previous)
