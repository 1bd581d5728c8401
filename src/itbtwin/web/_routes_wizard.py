"""The program-change wizard: enter → review (safety check and a 72 h dry run of both programs side
by side) → reason → a second clinician confirms before the version is stored (`store.propose_
program`, `store.confirm_proposal`). A block is overridden only by a physician, with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from itbtwin import store
from itbtwin.errors import ItbError
from itbtwin.web._deps import Clinician, Db, Settings, form_of, record_or_404, savepoint
from itbtwin.web._forms import FieldErrors, program_document
from itbtwin.web._pages import render
from itbtwin.web._routes_patient import patient_and_pump
from itbtwin.web._sessions import Visitor
from itbtwin.web._settings import WebSettings

router = APIRouter()
DRY_RUN_H = 72.0
"""Length of the dry run (h): the first three days, where a programming error shows (issue 15)."""
PHASES = ("titration", "maintenance")
INPUTS = ("daily_dose", "concentration", "program_toml", "phase", "bridge_bolus")


def review(
    pump: store.Pump,
    document: dict[str, Any],
    phase: str,
    bridge: bool,
    settings: WebSettings,
    override: str | None = None,
) -> dict[str, Any]:
    """The safety check read with the dry run of a proposal against the pump's program now:
    `store.review_change`, the verdict `check-program` and `program set` give."""
    found = store.review_change(
        pump,
        document,
        effective_at=settings.clinic_clock(),
        phase=phase,
        bridge_bolus=bridge,
        override_reason=override,
        hours=DRY_RUN_H,
    )
    return {"check": found.check, "run": found.run, "change": found.change} | {
        "document": found.document
    }


def _entry_form(request: Request, patient, pump, fields, errors, status=200) -> Response:  # type: ignore[no-untyped-def]
    context = {"patient": patient, "pump": pump, "fields": fields, "errors": errors}
    return render(request, "wizard_enter.html", context | {"phases": PHASES}, status)


@router.get("/patients/{patient_id}/program")
def enter(request: Request, patient_id: int, db: Db, visitor: Clinician) -> Response:
    patient, pump = patient_and_pump(db, patient_id)
    return _entry_form(request, patient, pump, {"phase": "titration"}, FieldErrors())


@dataclass(frozen=True)
class Entered:
    """A program change as posted from the wizard: the form, the patient's pump and the program
    read from it (the scenario-format document, phase and bridge-bolus flag)."""

    fields: dict[str, str]
    patient: store.Patient
    pump: store.Pump
    document: dict[str, Any]
    phase: str
    bridge: bool

    def review(self, settings: WebSettings) -> dict[str, Any]:
        return review(self.pump, self.document, self.phase, self.bridge, settings)


async def _entered(
    request: Request, patient_id: int, db: Session, visitor: Visitor
) -> Entered | Response:
    """The posted program change (`Entered`), or the entry form again with its messages (400):
    what the review and the proposal read alike."""
    fields = await form_of(request, visitor)
    patient, pump = patient_and_pump(db, patient_id)
    errors = FieldErrors()
    phase = fields.get("phase", "titration")
    if phase not in PHASES:
        errors["phase"] = "titration or maintenance"
    document = program_document(fields, errors)
    if document is None or errors:
        return _entry_form(request, patient, pump, fields, errors, 400)
    return Entered(fields, patient, pump, document, phase, fields.get("bridge_bolus") == "on")


@router.post("/patients/{patient_id}/program/review")
async def review_step(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    entered = await _entered(request, patient_id, db, visitor)
    if not isinstance(entered, Entered):
        return entered
    fields, errors = entered.fields, FieldErrors()
    try:
        found = entered.review(settings)
    except ItbError as err:
        errors["program_toml" if fields.get("program_toml") else "daily_dose"] = str(err)
        return _entry_form(request, entered.patient, entered.pump, fields, errors, 400)
    return _review_page(request, entered, found, errors, visitor)


def _review_page(request, entered: Entered, found, errors, visitor: Visitor, status=200):  # type: ignore[no-untyped-def]
    context = {"patient": entered.patient, "pump": entered.pump, "fields": entered.fields}
    context |= {"errors": errors, "inputs": INPUTS, "may_override": visitor.role == "physician"}
    return render(request, "wizard_review.html", context | found, status)


@router.post("/patients/{patient_id}/program/propose")
async def propose(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    entered = await _entered(request, patient_id, db, visitor)
    if not isinstance(entered, Entered):
        return entered
    fields, errors = entered.fields, FieldErrors()
    why = errors.text(fields, "why", required=True)
    override = errors.text(fields, "override_reason").strip() or None
    if override and visitor.role != "physician":
        errors["override_reason"] = "only a physician may override a block"
    if not errors:
        try:
            with savepoint(db):
                proposal, _ = store.propose_program(
                    db,
                    visitor.username,
                    visitor.role,
                    entered.pump,
                    entered.document,
                    now=settings.clinic_clock(),
                    why=why,
                    phase=entered.phase,
                    bridge_bolus=entered.bridge,
                    override_reason=override,
                )
            return RedirectResponse(f"/changes/{proposal.id}", status_code=303)
        except store.ProgramBlocked as blocked:  # its message names rule keys: say the reasons
            reasons = "; ".join(r.text for r in blocked.check.reasons if r.verdict.value == "block")
            errors["override_reason"] = (
                f"the safety check blocks this program ({reasons}); nothing was changed. "
                "To store it anyway a physician gives an override reason"
            )
        except ItbError as err:
            errors["why"] = str(err)
    return _review_page(request, entered, entered.review(settings), errors, visitor, 400)


@router.get("/changes/{proposal_id}")
def change_page(
    request: Request, proposal_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    proposal = record_or_404(db, store.ProgramProposal, proposal_id)
    return _change_page(request, db, proposal, visitor, settings, FieldErrors())


def _change_page(request, db, proposal, visitor, settings, errors, status=200) -> Response:  # type: ignore[no-untyped-def]
    found: dict[str, Any] = {"check": None, "run": None, "review_error": ""}
    if proposal.state == "pending":
        try:
            found = review(
                proposal.pump,
                proposal.document,
                proposal.phase,
                proposal.bridge_bolus,
                settings,
                proposal.override_reason,
            )
        except ItbError as err:
            found["review_error"] = str(err)
    context = {
        "proposal": proposal,
        "patient": proposal.pump.patient,
        "pump": proposal.pump,
        "refused": store.may_confirm(proposal, visitor.username, visitor.role),
        "errors": errors,
    }
    return render(request, "wizard_confirm.html", context | found, status)


@router.post("/changes/{proposal_id}/confirm")
async def confirm(
    request: Request, proposal_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    await form_of(request, visitor)
    proposal = record_or_404(db, store.ProgramProposal, proposal_id)
    errors = FieldErrors()
    try:
        with savepoint(db):
            store.confirm_proposal(
                db, visitor.username, visitor.role, proposal, now=settings.clinic_clock()
            )
    except ItbError as err:
        errors["confirm"] = str(err)
        return _change_page(request, db, proposal, visitor, settings, errors, 400)
    to = f"/patients/{proposal.pump.patient_id}?confirmed={proposal.version}"  # said on the page
    return RedirectResponse(to, status_code=303)


@router.post("/changes/{proposal_id}/decline")
async def decline(
    request: Request, proposal_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    fields = await form_of(request, visitor)
    proposal = record_or_404(db, store.ProgramProposal, proposal_id)
    errors = FieldErrors()
    why = errors.text(fields, "why", required=True)
    if not errors:
        try:
            with savepoint(db):
                store.decline_proposal(
                    db,
                    visitor.username,
                    visitor.role,
                    proposal,
                    now=settings.clinic_clock(),
                    why=why,
                )
            return RedirectResponse(f"/patients/{proposal.pump.patient_id}", status_code=303)
        except ItbError as err:
            errors["why"] = str(err)
    return _change_page(request, db, proposal, visitor, settings, errors, 400)
