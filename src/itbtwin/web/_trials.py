"""Virtual trials queued by researchers and run outside the request, one at a time, in a worker
thread: the page shows the queue and progress and, when a run is done, its summary and report.

A trial is the same TOML as `itbtwin trial run` (`scale.parse_trial`) and runs through the same
`scale.run_local`; the web caps its size (`MAX_PATIENTS`) so one researcher cannot hold the
server for long.
"""

from __future__ import annotations

import json
import logging
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine

from itbtwin import store
from itbtwin.errors import ItbError
from itbtwin.user_files import parse_toml
from itbtwin.web._settings import utc_now

log = logging.getLogger("itbtwin.web")
MAX_PATIENTS = 20_000
"""Largest trial the workspace runs (patients) [assumption: a few seconds on one core]."""
PROGRESS_EVERY = 0.05
"""Progress is written when it moved by this share of the patients."""


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)


def check_trial(text: str) -> dict[str, Any]:
    """The trial document, validated as `itbtwin trial run` validates a file."""
    from itbtwin.scale import parse_trial

    data = parse_toml(text, "the trial", ItbError)
    trial = parse_trial(data, "the trial")
    if trial.population.size > MAX_PATIENTS:
        raise ItbError(
            f"the workspace runs trials of up to {MAX_PATIENTS:,} patients (this one has "
            f"{trial.population.size:,}); run larger ones with `itbtwin trial run`"
        )
    return data


def _run(engine: Engine, run_id: int) -> None:
    from itbtwin.scale import parse_trial, run_local
    from itbtwin.scale._report import write_report

    with store.transaction(engine) as db:
        row = db.get(store.TrialRun, run_id)
        assert row is not None
        row.state, spec = "running", row.spec
    trial = parse_trial(spec, "the trial")
    done, written = [0], [0.0]

    def progress(n: int) -> None:
        done[0] += n
        share = done[0] / trial.population.size
        if share - written[0] >= PROGRESS_EVERY:
            written[0] = share
            with store.transaction(engine) as db:
                db.get(store.TrialRun, run_id).progress = share  # type: ignore[union-attr]

    try:
        result = run_local(trial, progress=progress)
        with tempfile.TemporaryDirectory() as folder:
            html = write_report(result, Path(folder) / "trial.html").read_text()
        summary = json.loads(json.dumps(result.report(), default=_plain))
        state, outcome, error = "done", {"summary": summary, "html": html}, None
    except ItbError as err:
        state, outcome, error = "failed", None, str(err)
    except Exception as err:
        log.exception("trial run %s crashed", run_id)
        state, outcome, error = "failed", None, f"the run failed ({type(err).__name__})"
    with store.transaction(engine) as db:
        row = db.get(store.TrialRun, run_id)
        assert row is not None
        row.state, row.result, row.error, row.finished_at = state, outcome, error, utc_now()
        row.progress = 1.0 if state == "done" else row.progress


class TrialQueue:
    """One worker thread running queued trials in the order they came."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="itbtwin-trial")

    def submit(self, run_id: int) -> None:
        """Queue a stored run."""
        self.pool.submit(_run, self.engine, run_id)
