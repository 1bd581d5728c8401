"""The dashboard: refill queue, the 14-day calendar, patients at risk, changes to confirm."""

from __future__ import annotations

import threading
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select

from itbtwin import store
from itbtwin.web._deps import Anyone, Clinician, Db, Settings
from itbtwin.web._overview import calendar, clinic_overview, overview_key
from itbtwin.web._pages import render, templates

router = APIRouter()


def patient_ids(db: Db) -> dict[str, int]:
    """Patient identifier → surrogate id, for links that carry no identifier."""
    return {
        name: pid for name, pid in db.execute(select(store.Patient.identifier, store.Patient.id))
    }


def booked_by_patient(db: Db, today: date) -> dict[str, date]:
    """Patient identifier → their implanted pump's next booked visit (bookings audit, so the
    kept dashboard is rendered again after one)."""
    visits = store.next_visits(db, today)
    pumps = db.execute(
        select(store.Patient.identifier, store.Pump.id)
        .join(store.Pump)
        .where(store.Pump.id.in_(visits))
    )
    return {name: visits[pump_id] for name, pump_id in pumps}


@router.get("/")
def dashboard(request: Request, db: Db, visitor: Anyone, settings: Settings) -> Response:
    if visitor.role == "researcher":
        return RedirectResponse("/trials", status_code=303)
    return _dashboard(request, db, settings)


_kept: dict[tuple, Markup] = {}
_kept_lock = threading.Lock()


def _dashboard(request: Request, db: Db, settings: Settings) -> Response:
    """The page around its content, which is rendered once per change of the records and day
    (it holds no user's data: the header with the user and the CSRF token is rendered each time)."""
    key = overview_key(db, settings.clinic_clock())
    with _kept_lock:
        main = _kept.get(key)
    if main is None:
        overview = clinic_overview(db, settings)
        context = {
            "now": overview.now,
            "queue": overview.due_within(14),
            "pumps": len(overview.entries),
            "calendar": calendar(overview.entries, overview.now.date(), settings),
            "at_risk": overview.at_risk(),
            "pending": store.pending_proposals(db),
            "ids": patient_ids(db),
            "booked": booked_by_patient(db, overview.now.date()),
            "visit_before": store.visit_before,
        }
        main = Markup(templates.get_template("_dashboard_main.html").render(context))
        with _kept_lock:
            _kept.clear()
            _kept[key] = main
    return render(request, "dashboard.html", {"main": main})


@router.get("/patients")
def patients(request: Request, db: Db, visitor: Clinician, settings: Settings) -> Response:
    now = settings.clinic_clock()
    rows = store.patient_summaries(db, now=now)
    return render(request, "patients.html", {"rows": rows, "ids": patient_ids(db)})
