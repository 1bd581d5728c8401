"""The researchers' de-identified cohort (issue 15): the clinic's implanted patients without
identifiers, birth year only, surrogate numbers (`store.deidentified_cohort`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from itbtwin import store
from itbtwin.web._deps import Db, Researcher, Settings
from itbtwin.web._pages import render

router = APIRouter()


@router.get("/cohort")
def cohort_page(request: Request, db: Db, visitor: Researcher, settings: Settings) -> Response:
    rows = store.deidentified_cohort(db, settings.clinic_clock())
    return render(request, "cohort.html", {"rows": rows})
