"""The patient page: device card, program history, refills, assessments, events, the twin's plots
and next dates; the patient report as HTML or PDF."""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from itbtwin import store
from itbtwin.display import format_datetime
from itbtwin.errors import ItbError, ReportEngineMissing
from itbtwin.pump import find_device
from itbtwin.report import patient_report, render_html, write_pdf
from itbtwin.sim import Scenario, run_twin
from itbtwin.web._deps import Clinician, Db, Settings, record_or_404
from itbtwin.web._overview import clinic_overview, overview_key
from itbtwin.web._pages import render
from itbtwin.web._plots import figures_json, observed
from itbtwin.web._settings import WebSettings

router = APIRouter()


def implanted(patient: store.Patient) -> store.Pump | None:
    """The implanted pump, or None when the patient has none now."""
    pumps = [p for p in patient.pumps if p.explanted_at is None]
    return pumps[-1] if pumps else None


def patient_and_pump(db: Session, patient_id: int) -> tuple[store.Patient, store.Pump]:
    """The patient of a URL's surrogate id (404: none) and their implanted pump (refill,
    booking and program change need one)."""
    patient = record_or_404(db, store.Patient, patient_id)
    pump = implanted(patient)
    if pump is None:
        raise ItbError("this patient has no implanted pump")
    return patient, pump


_figures_lock = threading.Lock()
_figures_cache: OrderedDict[tuple, str] = OrderedDict()
FIGURES_KEPT = 128
"""Patients whose twin figures the server keeps (the last seen); a record change or a new hour
makes them stale."""


def _scenario(pump: store.Pump, settings: WebSettings) -> Scenario:
    now = settings.clinic_clock()
    return store.history_scenario(
        pump,
        since=now - timedelta(days=settings.history_days),
        until=now + timedelta(days=settings.ahead_days),
        scores=True,
    )


def _figures(request: Request, pump: store.Pump, db: Session, settings: WebSettings) -> str:
    """The twin's figures as JSON, reused while no record changed within the hour; the twin runs
    in a worker process when the server has them (`WebSettings.plot_workers`)."""
    now = settings.clinic_clock()
    key = (*overview_key(db, now), pump.id)
    with _figures_lock:
        found = _figures_cache.get(key)
    if found is None:
        task = (_scenario(pump, settings), observed(pump.patient.assessments))
        pool = request.app.state.plot_pool
        found = pool.submit(figures_json, *task).result() if pool else figures_json(*task)
        with _figures_lock:
            _figures_cache[key] = found
            while len(_figures_cache) > FIGURES_KEPT:
                _figures_cache.popitem(last=False)
    return found


def _booking(db: Db, pump: store.Pump, entry: Any, today: date) -> dict[str, Any]:
    """The pump's next booked visit and how it stands against the low-reservoir alarm."""
    booked = store.next_visits(db, today).get(pump.id)
    alarm = entry.dates.local(entry.dates.low_reservoir_h) if entry else None
    return {"booked": booked, "booked_vs_alarm": store.visit_before(booked, alarm)}


@router.get("/patients/{patient_id}")
def patient_page(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    patient = record_or_404(db, store.Patient, patient_id)
    pump = implanted(patient)
    context = {
        "patient": patient,
        "tables": store.patient_tables(db, patient),
        "pump": pump,
        "device": find_device(pump.device) if pump else None,
        "entry": None,
        "pending": [p for p in store.pending_proposals(db) if pump and p.pump_id == pump.id],
        "history_days": settings.history_days,
        "ahead_days": settings.ahead_days,
    }
    if pump is not None:
        overview = clinic_overview(db, settings)
        context["entry"] = next((e for e in overview.entries if e.name == patient.identifier), None)
        context |= _booking(db, pump, context["entry"], settings.clinic_clock().date())
    return render(request, "patient.html", context)


@router.get("/patients/{patient_id}/twin.json")
def twin_json(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    """The twin's figures, fetched by the page's script after the page is shown (the page itself
    never waits for the twin; without JavaScript it is not run at all)."""
    patient = record_or_404(db, store.Patient, patient_id)
    pump = implanted(patient)
    if pump is None:
        raise HTTPException(404, "this patient has no implanted pump, so no twin")
    try:
        figures = _figures(request, pump, db, settings)
    except ItbError as err:
        return JSONResponse({"error": f"the twin could not run: {err}"}, status_code=400)
    return Response(figures, media_type="application/json")


def _report(patient: store.Patient, db: Session, settings: WebSettings):  # type: ignore[no-untyped-def]
    pump = implanted(patient)
    if pump is None:
        raise ItbError("this patient has no implanted pump: there is no twin to report")
    scenario = _scenario(pump, settings)
    outcome = run_twin(scenario)
    tables = store.patient_tables(db, patient)
    now = settings.clinic_clock()
    return patient_report(
        scenario,
        outcome,
        store.record_sections(tables),
        patient=tables["patient"],
        title=f"Patient report: {patient.identifier} (as of {format_datetime(now)})",
    )


@router.get("/patients/{patient_id}/report.html")
def report_html(patient_id: int, db: Db, visitor: Clinician, settings: Settings) -> HTMLResponse:
    patient = record_or_404(db, store.Patient, patient_id)
    return HTMLResponse(render_html(_report(patient, db, settings)))


@router.get("/patients/{patient_id}/report.pdf")
def report_pdf(
    request: Request, patient_id: int, db: Db, visitor: Clinician, settings: Settings
) -> Response:
    patient = record_or_404(db, store.Patient, patient_id)
    doc = _report(patient, db, settings)
    try:
        with tempfile.TemporaryDirectory() as folder:
            data = write_pdf(doc, Path(folder) / "report.pdf").read_bytes()
    except ReportEngineMissing as err:  # the server lacks WeasyPrint: the HTML report is the same
        context = {"patient": patient, "why": str(err)}
        return render(request, "report_missing.html", context, 503)
    headers = {"Content-Disposition": f'attachment; filename="patient-{patient_id}-report.pdf"'}
    return Response(data, media_type="application/pdf", headers=headers)
