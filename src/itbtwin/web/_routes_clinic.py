"""The dashboard: refill queue, the 14-day calendar, patients at risk, changes to confirm."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from itbtwin import store
from itbtwin.web._deps import Anyone, Clinician, Db, Settings
from itbtwin.web._overview import calendar, clinic_overview
from itbtwin.web._pages import render

router = APIRouter()


def patient_ids(db: Db) -> dict[str, int]:
    """Patient identifier → surrogate id, for links that carry no identifier."""
    return {
        name: pid for name, pid in db.execute(select(store.Patient.identifier, store.Patient.id))
    }


@router.get("/")
def dashboard(request: Request, db: Db, visitor: Anyone, settings: Settings) -> Response:
    if visitor.role == "researcher":
        return RedirectResponse("/trials", status_code=303)
    return _dashboard(request, db, settings)


def _dashboard(request: Request, db: Db, settings: Settings) -> Response:
    overview = clinic_overview(db, settings)
    today = overview.now.date()
    context = {
        "now": overview.now,
        "queue": overview.due_within(14),
        "pumps": len(overview.entries),
        "calendar": calendar(overview.entries, today, settings),
        "at_risk": overview.at_risk(),
        "pending": store.pending_proposals(db),
        "ids": patient_ids(db),
    }
    return render(request, "dashboard.html", context)


@router.get("/patients")
def patients(request: Request, db: Db, visitor: Clinician, settings: Settings) -> Response:
    now = settings.clinic_clock()
    rows = store.patient_summaries(db, now=now)
    return render(request, "patients.html", {"rows": rows, "ids": patient_ids(db)})
