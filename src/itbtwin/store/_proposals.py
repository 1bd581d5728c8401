"""Program changes confirmed by a second person before they are stored.

The manufacturers' programmers end every change on a review screen, and the published safety
advice adds a second person's check on every reprogramming [issue 15; synchromed2 programming
guide]. A clinician proposes (the safety check runs and its verdict is kept); another clinician
confirms, the check runs again on the records as they are then, and only then `set_program`
stores the version. A nurse's change needs a physician; a physician's change another clinician.
A block can be overridden only by a physician, with a written reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.clinic import SafetyCheck, Verdict
from itbtwin.errors import RecordError
from itbtwin.store._audit import audit
from itbtwin.store._program_review import review_change
from itbtwin.store._programs import ProgramBlocked, set_program
from itbtwin.store._pumps import lock_pump
from itbtwin.store._schema import Pump
from itbtwin.store._web_schema import ProgramProposal

CLINICIANS = ("physician", "nurse")
OVERRIDERS = ("physician",)
"""Who may propose or confirm a change, and who may override a block (issue 15)."""


def may_confirm(proposal: ProgramProposal, username: str, role: str) -> str | None:
    """Why this user may not confirm this proposal (None: they may)."""
    if proposal.state != "pending":
        return f"this change is {proposal.state} already"
    if username == proposal.proposed_by:
        return "a change is confirmed by a second person, not by whoever proposed it"
    if role not in CLINICIANS:
        return "only a physician or a nurse confirms a program change"
    if proposal.proposed_by_role == "nurse" and role != "physician":
        return "a nurse's change is confirmed by a physician"
    return None


def propose_program(
    session: Session,
    actor: str,
    role: str,
    pump: Pump,
    document: dict[str, Any],
    *,
    now: datetime,
    why: str,
    phase: str = "titration",
    bridge_bolus: bool = False,
    override_reason: str | None = None,
) -> tuple[ProgramProposal, SafetyCheck]:
    """Check a program against the pump's current one and keep it for a second person.

    Raises `ProgramBlocked` (nothing kept) when the check blocks and no physician overrides.
    """
    if role not in CLINICIANS:
        raise RecordError("only a physician or a nurse proposes a program change")
    if not why.strip():
        raise RecordError("a program change needs a reason")
    override = (override_reason or "").strip() or None
    if override is not None and role not in OVERRIDERS:
        raise RecordError("only a physician may override a block of the safety check")
    lock_pump(session, pump)
    review = review_change(  # the verdict reads the dry run, as check-program's does
        pump,
        document,
        effective_at=now,
        phase=phase,
        bridge_bolus=bridge_bolus,
        override_reason=override,
    )
    canonical, check = review.document, review.check
    if not check.may_send:
        raise ProgramBlocked(check)
    proposal = ProgramProposal(
        pump_id=pump.id,
        document=canonical,
        phase=phase,
        bridge_bolus=bridge_bolus,
        why=why,
        override_reason=override if check.verdict == Verdict.BLOCK else None,
        verdict=check.verdict.value,
        proposed_by=actor,
        proposed_by_role=role,
        proposed_at=now,
        state="pending",
        decision_note="",
    )
    session.add(proposal)
    session.flush()
    what = {
        "serial": pump.serial,
        "proposal": proposal.id,
        "after": canonical,
        "mcg_per_day": [check.current_mcg, check.proposed_mcg],
        "verdict": check.verdict.value,
        "rules": list(check.rules),
        "override_reason": proposal.override_reason,
    }
    audit(session, actor, "program.propose", "pump", pump.id, what, why)
    return proposal, check


def confirm_proposal(
    session: Session, actor: str, role: str, proposal: ProgramProposal, *, now: datetime
) -> SafetyCheck:
    """A second clinician confirms: the check runs again and the version is stored."""
    refused = may_confirm(proposal, actor, role)
    if refused:
        raise RecordError(refused)
    version, check = set_program(
        session,
        actor,
        proposal.pump,
        proposal.document,
        effective_at=now,
        now=now,
        why=f"{proposal.why} (proposed by {proposal.proposed_by}, confirmed by {actor})",
        phase=proposal.phase,
        bridge_bolus=proposal.bridge_bolus,
        override_reason=proposal.override_reason,
    )
    proposal.state, proposal.decided_by, proposal.decided_at = "confirmed", actor, now
    proposal.version = version.version
    what = {"serial": proposal.pump.serial, "proposal": proposal.id, "version": version.version}
    what |= {"proposed_by": proposal.proposed_by, "confirmed_by": actor}
    audit(session, actor, "program.confirm", "pump", proposal.pump_id, what)
    return check


def decline_proposal(
    session: Session, actor: str, role: str, proposal: ProgramProposal, *, now: datetime, why: str
) -> None:
    """Decline (or, by whoever proposed it, withdraw) a pending change; nothing is stored."""
    if proposal.state != "pending":
        raise RecordError(f"this change is {proposal.state} already")
    if role not in CLINICIANS:
        raise RecordError("only a physician or a nurse declines a program change")
    if not why.strip():
        raise RecordError("say why the change is declined")
    own = actor == proposal.proposed_by
    proposal.state = "withdrawn" if own else "declined"
    proposal.decided_by, proposal.decided_at, proposal.decision_note = actor, now, why
    what = {"serial": proposal.pump.serial, "proposal": proposal.id, "state": proposal.state}
    audit(session, actor, f"program.{proposal.state}", "pump", proposal.pump_id, what, why)


def pending_proposals(session: Session) -> list[ProgramProposal]:
    """Changes waiting for confirmation, oldest first."""
    query = select(ProgramProposal).where(ProgramProposal.state == "pending")
    return list(session.scalars(query.order_by(ProgramProposal.id)))


def find_proposal(session: Session, proposal_id: int) -> ProgramProposal:
    """The proposal with this id."""
    found = session.get(ProgramProposal, proposal_id)
    if found is None:
        raise RecordError(f"no program change #{proposal_id}")
    return found
