"""Booking a patient's next visit (issue 15): a clinic day for the implanted pump, shown on the
patient page and in the dashboard's refill queue beside the low-reservoir alarm."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from itbtwin import store
from itbtwin.errors import ItbError
from itbtwin.typed_dates import parse_date
from itbtwin.web._deps import Clinician, Db, Settings, form_of
from itbtwin.web._forms import FieldErrors, stored
from itbtwin.web._overview import window_options
from itbtwin.web._pages import render
from itbtwin.web._routes_patient import patient_and_pump
from itbtwin.web._routes_records import one_pump

router = APIRouter()


def _form(request, db, patient, pump, fields, errors, settings, status=200) -> Response:  # type: ignore[no-untyped-def]
    entry, _risk = one_pump(db, pump, settings)
    today = settings.clinic_clock().date()
    context = {"patient": patient, "pump": pump, "fields": fields, "errors": errors}
    context |= {"entry": entry, "booked": store.booked_visits(db, pump, today)}
    context["trip"] = _trip(request, pump, entry, settings, errors)
    return render(request, "book.html", context, status)


def _trip(request, pump, entry, settings, errors) -> tuple:  # type: ignore[no-untyped-def]
    """The warnings for the trip asked about (`?away_from=…&away_to=…`, both dates counted): a
    trip longer than one full fill covers with the clinic's margin (`clinic._trip`, issue 17)."""
    from itbtwin.clinic._trip import check_trips_to_come, fill_span, trip_reasons

    asked = [request.query_params.get(k, "").strip() for k in ("away_from", "away_to")]
    if not any(asked) or entry is None:
        return ()
    try:
        first, last = (parse_date(text, "a day away") for text in asked)
    except ItbError:
        errors["away_from"] = 'the first and last day away, "YYYY-MM-DD"'
        return ()
    if last < first:
        errors["away_to"] = "the last day away comes before the first"
        return ()
    try:  # a trip already over is not judged as one ahead (issue 17)
        check_trips_to_come(((first, last),), settings.clinic_clock().date())
    except ItbError as err:
        errors["away_to"] = str(err)
        return ()
    therapy = store.current_scenario(pump, now=settings.clinic_clock()).therapy
    span = fill_span(therapy, entry.dates.mean_ml_per_day)
    margin = window_options(settings).margin_days
    return trip_reasons(((first, last),), span, margin_days=margin)


@router.get("/patients/{patient_id}/book")
def booking_form(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    patient, pump = patient_and_pump(db, patient_id)
    fields = {k: request.query_params.get(k, "") for k in ("away_from", "away_to")}
    return _form(request, db, patient, pump, fields, FieldErrors(), settings)


@router.post("/patients/{patient_id}/book")
async def book(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    fields = await form_of(request, visitor)
    patient, pump = patient_and_pump(db, patient_id)
    errors = FieldErrors()
    text = fields.get("visit_on", "").strip()
    try:
        visit_on: date | None = parse_date(text, "the visit")
    except ItbError:
        visit_on = None
    if visit_on is None:
        errors["visit_on"] = 'the day of the visit "YYYY-MM-DD"'
    note = errors.text(fields, "note")
    today = settings.clinic_clock().date()
    done = stored(
        db,
        errors,
        lambda: store.book_visit(db, visitor.username, pump, visit_on, today=today, why=note),  # type: ignore[arg-type]
        {},
        "visit_on",
    )
    if done is None:
        return _form(request, db, patient, pump, fields, errors, settings, 400)
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)
