"""The researchers' page: queue a virtual trial, see its progress, read its report when done.
No patient records are shown here."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from itbtwin import store
from itbtwin.errors import ItbError
from itbtwin.web._deps import Db, Researcher, Settings, form_of, record_or_404
from itbtwin.web._forms import FieldErrors
from itbtwin.web._pages import render
from itbtwin.web._trials import MAX_PATIENTS, check_trial

router = APIRouter()
EXAMPLE = """name = "Lumbar CSF on 500 mcg/day, 30 days"
seed = 20261101
duration_days = 30
output_step_h = 1.0

[population]
size = 2_000
block_size = 1024

[population.generator]
kind = "baclofen"
origin = "adult"
variability = { cl_csf_ml_h = 0.30, v_lumbar_ml = 0.20, v_central_ml = 0.25 }

[[regimen]]
infusion = "500 mcg/day"

[[outcomes]]
kind = "quantiles"
label = "concentrations over time"
outputs = ["csf_lumbar", "plasma"]

[[outcomes]]
kind = "steady_state"
label = "lumbar CSF steady state (last 24 h)"
output = "csf_lumbar"
window_h = 24
thresholds_ng_ml = [200, 300, 500]
"""
"""A small trial to start from (examples/trials/itb_500_steady_state.toml, fewer patients)."""


def _page(request: Request, db: Db, fields: dict[str, str], errors: FieldErrors, status=200):  # type: ignore[no-untyped-def]
    runs = list(db.scalars(select(store.TrialRun).order_by(store.TrialRun.id.desc()).limit(50)))
    context = {"runs": runs, "fields": fields, "errors": errors, "max_patients": MAX_PATIENTS}
    return render(request, "trials.html", context, status)


@router.get("/trials")
def trials(request: Request, db: Db, visitor: Researcher) -> Response:
    return _page(request, db, {"trial": EXAMPLE}, FieldErrors())


@router.post("/trials")
async def queue_trial(
    request: Request, db: Db, visitor: Researcher, settings: Settings, tasks: BackgroundTasks
) -> Response:
    fields = await form_of(request, visitor)
    errors = FieldErrors()
    text = (
        errors.text(fields, "trial", required=True) if len(fields.get("trial", "")) < 20_000 else ""
    )
    if not text:
        errors.setdefault("trial", "a trial in TOML, as for `itbtwin trial run` (docs/scale.md)")
        return _page(request, db, fields, errors, 400)
    try:
        spec = check_trial(text)
    except ItbError as err:
        errors["trial"] = str(err)
        return _page(request, db, fields, errors, 400)
    run = store.TrialRun(
        requested_by=visitor.username,
        requested_at=settings.clock(),
        spec=spec,
        state="queued",
        progress=0.0,
    )
    db.add(run)
    db.flush()
    tasks.add_task(request.app.state.trials.submit, run.id)  # once the request has committed
    return RedirectResponse(f"/trials/{run.id}", status_code=303)


@router.get("/trials/{run_id}")
def trial_page(request: Request, run_id: int, db: Db, visitor: Researcher) -> Response:
    run = record_or_404(db, store.TrialRun, run_id)
    return render(request, "trial.html", {"run": run})


@router.get("/trials/{run_id}/report")
def trial_report(run_id: int, db: Db, visitor: Researcher) -> HTMLResponse:
    run = record_or_404(db, store.TrialRun, run_id)
    if run.state != "done" or not run.result:
        raise HTTPException(404, "this trial has no report yet")
    return HTMLResponse(run.result["html"])
