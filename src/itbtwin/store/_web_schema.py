"""The web workspace's tables (migration 0004): clinic users, their server-side sessions, the
login throttle, program changes awaiting a second person's confirmation, queued trial runs.

Times here are UTC without tzinfo, like the audit trail's `at`, except `ProgramProposal`'s
record times, which are the clinic's wall-clock time like every clinical record.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from itbtwin.store._schema import Base, Pump


class ClinicUser(Base):
    """Someone who signs in to the workspace: a physician, a nurse or a researcher.

    `password_hash` is argon2id (argon2-cffi); `totp_secret` the base-32 TOTP seed a physician's
    authenticator app holds (RFC 6238, pyotp); `totp_last_step` the time step (30 s counter) of
    the last code accepted, so a code is accepted once (RFC 6238 section 5.2; migration 0008).
    `password_temporary_until` (UTC, migration 0009): the password was set by an administrator;
    the user must choose their own before any other page, and it is refused after this time."""

    __tablename__ = "clinic_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(unique=True)
    role: Mapped[str]
    password_hash: Mapped[str]
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    password_temporary_until: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser: the SHA-256 of its cookie token (never the token), its CSRF token,
    when it started and was last used (UTC); `ended_at` set by logout, timeout or revocation;
    `pending_totp_secret` the seed shown to a user enrolling their authenticator app (0009)."""

    __tablename__ = "web_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    clinic_user_id: Mapped[int] = mapped_column(ForeignKey("clinic_user.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    pending_totp_secret: Mapped[str | None] = mapped_column(String(64))
    user: Mapped[ClinicUser] = relationship()


class LoginAttempt(Base):
    """One sign-in attempt (UTC), kept for the throttle; no password, no patient data."""

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    succeeded: Mapped[bool]


class ProgramProposal(Base):
    """A program change entered by one clinician, stored as a version only once a second one
    confirms it. `document` is the program in the scenario format, as `ProgramVersion`'s."""

    __tablename__ = "program_proposal"
    id: Mapped[int] = mapped_column(primary_key=True)
    pump_id: Mapped[int] = mapped_column(ForeignKey("pump.id"), index=True)
    document: Mapped[dict[str, Any]]
    phase: Mapped[str]
    bridge_bolus: Mapped[bool]
    why: Mapped[str] = mapped_column(String(2000))
    override_reason: Mapped[str | None] = mapped_column(String(1000))
    verdict: Mapped[str]
    proposed_by: Mapped[str]
    proposed_by_role: Mapped[str]
    proposed_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(index=True)
    decided_by: Mapped[str | None]
    decided_at: Mapped[datetime | None]
    version: Mapped[int | None]
    decision_note: Mapped[str] = mapped_column(String(2000), default="")
    pump: Mapped[Pump] = relationship()


class TrialRun(Base):
    """A virtual trial a researcher queued: its spec, progress (0-1) and result when done."""

    __tablename__ = "trial_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by: Mapped[str]
    requested_at: Mapped[datetime]
    spec: Mapped[dict[str, Any]]
    state: Mapped[str]
    progress: Mapped[float] = mapped_column(default=0.0)
    finished_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(String(2000))


class VisitBooking(Base):
    """A visit booked for a pump on a clinic-local date (migration 0008): who booked it and
    when (UTC); `cancelled_at` ends it. The refill queue shows the next booked visit."""

    __tablename__ = "visit_booking"
    id: Mapped[int] = mapped_column(primary_key=True)
    pump_id: Mapped[int] = mapped_column(ForeignKey("pump.id"), index=True)
    visit_on: Mapped[date]
    booked_by: Mapped[str]
    booked_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
