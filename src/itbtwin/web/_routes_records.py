"""Recording a refill (reconciled, with the pocket-fill check and the printable patient card), an
assessment (MAS per muscle group, Penn), and the audit view with filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin import store
from itbtwin.clinic import ClinicContact, RefillVisit, education_sheet
from itbtwin.errors import ItbError
from itbtwin.store._refills import check_expiry
from itbtwin.typed_dates import parse_date
from itbtwin.web._deps import Clinician, Db, Settings, form_of, record_or_404
from itbtwin.web._forms import FieldErrors, stored
from itbtwin.web._overview import clinic_overview, window_options
from itbtwin.web._pages import render
from itbtwin.web._routes_patient import patient_and_pump
from itbtwin.web._settings import WebSettings

router = APIRouter()
MUSCLE_ROWS = 6
"""Muscle-group rows on the assessment form."""
AUDIT_PAGE = 200
"""Audit entries shown per page, newest first."""


def one_pump(db: Session, pump: store.Pump, settings: WebSettings) -> tuple[Any, Any]:
    """The pump's refill entry and its patient's risk from the clinic's overview (None, None:
    no forecast for it)."""
    overview = clinic_overview(db, settings)
    name = pump.patient.identifier
    entry = next((e for e in overview.entries if e.name == name), None)
    risk = next((r for r in overview.risks if r.name == name), None)
    return entry, risk


def _refill_form(request, patient, pump, fields, errors, settings, status=200) -> Response:  # type: ignore[no-untyped-def]
    expected = store.current_scenario(pump, now=settings.clinic_clock()).therapy.fill.volume_ml
    context = {"patient": patient, "pump": pump, "fields": fields, "errors": errors}
    return render(request, "refill.html", context | {"expected_ml": expected}, status)


@router.get("/patients/{patient_id}/refill")
def refill_form(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    patient, pump = patient_and_pump(db, patient_id)
    return _refill_form(request, patient, pump, {}, FieldErrors(), settings)


def _visit(fields: dict[str, str], errors: FieldErrors) -> RefillVisit | None:
    values = {
        "withdrawn_ml": errors.quantity(fields, "withdrawn", "volume"),
        "expected_ml": errors.quantity(fields, "expected", "volume"),
        "injected_ml": errors.quantity(fields, "injected", "volume"),
        "concentration_mcg_per_ml": errors.quantity(fields, "concentration", "concentration"),
        "measured_ml": errors.quantity(fields, "measured", "volume", required=False),
    }
    product = errors.text(fields, "product", required=True)
    if errors:
        return None
    try:
        return RefillVisit(product=product, **values)  # type: ignore[arg-type]
    except ItbError as err:
        errors["withdrawn"] = str(err)
        return None


def _expiry(fields: dict[str, str], errors: FieldErrors, today: date) -> date | None:
    text = fields.get("expiry", "").strip()
    if not text:
        errors["expiry"] = "required"
        return None
    try:
        expiry = parse_date(text, "the expiry")
    except ItbError:
        errors["expiry"] = 'the product\'s expiry date "YYYY-MM-DD"'
        return None
    try:
        return check_expiry(expiry, today)
    except ItbError as err:
        errors["expiry"] = str(err)
        return expiry


@router.post("/patients/{patient_id}/refill")
async def record_refill(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    fields = await form_of(request, visitor)
    patient, pump = patient_and_pump(db, patient_id)
    now = settings.clinic_clock()
    errors = FieldErrors()
    visit = _visit(fields, errors)
    performed_at = errors.time(fields, "performed_at", now)
    lot = errors.text(fields, "lot", required=True)
    expiry = _expiry(fields, errors, now.date())
    note = errors.text(fields, "note")
    done = stored(
        db,
        errors,
        lambda: store.record_refill(
            db,
            visitor.username,
            pump,
            visit,  # type: ignore[arg-type]  # read whenever `errors` is empty
            performed_at=performed_at,
            lot=lot,
            now=now,
            why=note,
            product_expiry=expiry,
        ),
        {"refill at": "performed_at", "expired": "expiry"},
        "withdrawn",
    )
    if done is None:
        return _refill_form(request, patient, pump, fields, errors, settings, 400)
    record, check = done
    db.flush()
    entry, _ = one_pump(db, pump, settings)
    context = {"patient": patient, "pump": pump, "record": record, "check": check}
    return render(request, "refill_done.html", context | {"entry": entry})


@router.get("/patients/{patient_id}/card")
def patient_card(patient_id: int, db: Db, visitor: Clinician, settings: Settings) -> HTMLResponse:
    _, pump = patient_and_pump(db, patient_id)
    _, risk = one_pump(db, pump, settings)
    if risk is None:
        raise ItbError("no forecast for this pump: the card cannot give its dates")
    scenario = store.current_scenario(pump, now=settings.clinic_clock())
    clinic = ClinicContact(**store.clinic_contact(db).as_dict())
    sheet = education_sheet(
        risk,
        scenario.therapy,
        time_zone=pump.time_zone,
        options=window_options(settings),
        clinic=clinic,
    )
    return HTMLResponse(sheet)


def _assess_form(request, patient, fields, errors, status=200) -> Response:  # type: ignore[no-untyped-def]
    context = {"patient": patient, "fields": fields, "errors": errors, "rows": MUSCLE_ROWS}
    return render(request, "assess.html", context, status)


@router.get("/patients/{patient_id}/assess")
def assess_form(request: Request, patient_id: int, db: Db, visitor: Clinician) -> Response:
    patient = record_or_404(db, store.Patient, patient_id)
    return _assess_form(request, patient, {}, FieldErrors())


def _grades(fields: dict[str, str], errors: FieldErrors) -> dict[str, str]:
    grades: dict[str, str] = {}
    for i in range(MUSCLE_ROWS):
        muscle = errors.text(fields, f"muscle_{i}").strip()
        grade = fields.get(f"grade_{i}", "").strip()
        if not muscle and not grade:
            continue
        if not muscle or not grade:
            errors[f"muscle_{i}"] = "a muscle group and its MAS grade (0, 1, 1+, 2, 3 or 4)"
        elif muscle in grades:
            errors[f"muscle_{i}"] = "this muscle group is given twice"
        else:
            grades[muscle] = grade
    return grades


@router.post("/patients/{patient_id}/assess")
async def assess(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    fields = await form_of(request, visitor)
    patient = record_or_404(db, store.Patient, patient_id)
    now = settings.clinic_clock()
    errors = FieldErrors()
    grades = _grades(fields, errors)
    frequency = errors.whole(fields, "penn_frequency", range(5))
    severity = errors.whole(fields, "penn_severity", range(1, 4))
    assessed_at = errors.time(fields, "assessed_at", now)
    adverse = errors.text(fields, "adverse_effects")
    done = stored(
        db,
        errors,
        lambda: store.assess(
            db,
            visitor.username,
            patient,
            assessed_at=assessed_at,
            mas=grades,
            now=now,
            penn_frequency=frequency,
            penn_severity=severity,
            adverse_effects=adverse,
        ),
        {"future": "assessed_at", "the assessment at": "assessed_at", "Penn": "penn_severity"},
        "muscle_0",
    )
    if done is None:
        return _assess_form(request, patient, fields, errors, 400)
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


@router.get("/audit")
def audit_view(
    request: Request,
    db: Db,
    visitor: Clinician,
    patient: str = "",
    user: str = "",
    kind: str = "",
) -> Response:
    query = select(store.AuditEntry).order_by(store.AuditEntry.id.desc())
    # The form's "All" sends patient= (empty), which an int parameter refused as "no such page"
    # (h34 sweep): empty is every patient, digits are one, anything else no patient.
    patient_id = int(patient) if patient.isascii() and patient.isdigit() else None
    if patient and patient_id is None:
        raise HTTPException(404, "no such patient")
    if patient_id is not None:
        found = record_or_404(db, store.Patient, patient_id)
        ids = {e.id for e in store.patient_audit(db, found)}
        query = query.where(store.AuditEntry.id.in_(ids))
    if user:
        query = query.where(store.AuditEntry.actor == user)
    if kind:
        query = query.where(store.AuditEntry.action.startswith(kind))
    entries = list(db.scalars(query.limit(AUDIT_PAGE)))
    actions = sorted(
        {a.split(".")[0] for a in db.scalars(select(store.AuditEntry.action).distinct())}
    )
    context: dict[str, Any] = {
        "entries": entries,
        "filters": {"patient": patient_id, "user": user, "kind": kind},
        "kinds": actions,
        "patients": db.execute(
            select(store.Patient.id, store.Patient.identifier).order_by(store.Patient.identifier)
        ).all(),
        "limit": AUDIT_PAGE,
    }
    return render(request, "audit.html", context)
