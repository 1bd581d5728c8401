"""Recording a pump event from the patient page: an alarm heard or a fault found, a catheter
fault's measured share of the flow, and for a wrong concentration the concentration found
programmed (the replay delivers the program's doses at it from the reservoir's own drug). The
same `store.record_event` as `itbtwin pump event`, so the bounds, the audit row and the refusals
are the command line's."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from itbtwin import store
from itbtwin.display import in_words
from itbtwin.errors import ItbError
from itbtwin.store._bounds import EVENT_KINDS
from itbtwin.units import parse_share
from itbtwin.web._deps import Clinician, Db, Settings, form_of
from itbtwin.web._forms import FieldErrors, stored
from itbtwin.web._pages import render
from itbtwin.web._routes_patient import patient_and_pump

router = APIRouter()
KINDS = [(kind, in_words(kind)) for kind in EVENT_KINDS]
"""The event kinds the form offers (`store.EVENT_KINDS`), each with its words."""


def _form(request, patient, pump, fields, errors, status=200) -> Response:  # type: ignore[no-untyped-def]
    context = {"patient": patient, "pump": pump, "fields": fields, "errors": errors}
    return render(request, "event.html", context | {"kinds": KINDS}, status)


def _share(fields: dict[str, str], errors: FieldErrors) -> float | None:
    """A catheter fault's measured share of the flow ("30 %"), or None when not given."""
    text = fields.get("share", "").strip()
    if not text:
        return None
    try:
        return parse_share(text)
    except ItbError as err:
        errors["share"] = str(err)
        return None


@router.get("/patients/{patient_id}/event")
def event_form(request: Request, patient_id: int, db: Db, visitor: Clinician) -> Response:
    patient, pump = patient_and_pump(db, patient_id)
    return _form(request, patient, pump, {}, FieldErrors())


@router.post("/patients/{patient_id}/event")
async def record_event(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    fields = await form_of(request, visitor)
    patient, pump = patient_and_pump(db, patient_id)
    now = settings.clinic_clock()
    errors = FieldErrors()
    kind = errors.text(fields, "kind", required=True)
    occurred_at = errors.time(fields, "occurred_at", now)
    detail = errors.text(fields, "detail")
    fraction = _share(fields, errors)
    # parsed with its unit and checked against a concentration's bounds (1-10,000 mcg/mL)
    programmed = errors.quantity(fields, "programmed", "concentration", required=False)
    done = stored(
        db,
        errors,
        lambda: store.record_event(
            db,
            visitor.username,
            pump,
            occurred_at=occurred_at,
            kind=kind,
            detail=detail,
            now=now,
            fraction=fraction,
            programmed_mcg_per_ml=programmed,
        ),
        {"programmed": "programmed", "share": "share", "kind": "kind", "detail": "detail"}
        | {"event": "occurred_at"},
        "kind",
    )
    if done is None:
        return _form(request, patient, pump, fields, errors, 400)
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)
