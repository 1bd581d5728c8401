"""A pump's records as a scenario, so stored patients run through the same twin and clinic rules.

`history_scenario` replays what was recorded from a fill onward (refills, program versions,
catheter revisions) up to a time; `current_scenario` starts now, with the reservoir holding what
the pump calculates is left, which is what the refill window and the risk rules take as hour 0.
Both are built as scenario documents and validated by `sim.loads_scenario`, like a file would be.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from itbtwin.errors import RecordError
from itbtwin.pump import Delivery, deliver
from itbtwin.sim import Scenario
from itbtwin.sim._scenario_document import scenario_from_document
from itbtwin.store._patients import age_years
from itbtwin.store._programs import fill_at, fill_volume_ml, version_at
from itbtwin.store._pumps import catheter_at
from itbtwin.store._replay import add_recorded_facts, baseline_entry
from itbtwin.store._schema import ProgramVersion, Pump, RefillRecord
from itbtwin.store._times import elapsed_hours, wall_time_after


def _at(later: datetime, start: datetime, time_zone: str) -> str:
    return f"{elapsed_hours(later, start, time_zone)!r} h"


def _fill(volume_ml: float, concentration: float, product: str) -> dict[str, Any]:
    table = {"volume": f"{volume_ml!r} mL", "concentration": f"{concentration!r} mcg/mL"}
    return {**table, "product": product} if product else table


def _changes(pump: Pump, start: datetime, end: datetime) -> list[ProgramVersion]:
    """The program versions taking effect after `start` and before `end`, in time order; of
    versions entered for the same time the latest number is in effect (as in `version_at`)."""
    by_time: dict[datetime, ProgramVersion] = {}
    for v in sorted(pump.programs, key=lambda v: (v.effective_at, v.version)):
        if start < v.effective_at < end:
            by_time[v.effective_at] = v
    return list(by_time.values())


def _document(
    pump: Pump, start: datetime, end: datetime, volume_ml: float, scores: bool = False
) -> dict[str, Any]:
    patient, tz = pump.patient, pump.time_zone
    first = fill_at(pump, start)
    catheter = catheter_at(pump, start)
    doc: dict[str, Any] = {
        "scenario": {
            "name": f"{patient.identifier} ({pump.serial})",
            # the stored wall time with its zone: a record in the repeated hour is the first
            # of the two, as `elapsed_hours` counts it (the reader refuses a bare one, issue 17)
            "start": start.replace(tzinfo=ZoneInfo(tz)),
            "time_zone": pump.time_zone,
            "duration": _at(end, start, tz),
        },
        "patient": {
            "weight": f"{patient.weight_kg!r} kg",
            "age": f"{age_years(patient, start.date())!r} year",
            "origin": patient.origin,
            **(baseline_entry(patient) if scores else {}),
        },
        "pump": {"device": pump.device, "age_at_start": _at(start, pump.implanted_at, tz)},
        "catheter": {"model": catheter["model"], "length_cm": catheter["length_cm"]},
        "reservoir": _fill(volume_ml, first.concentration_mcg_per_ml, first.product),
    }
    current = version_at(pump, start)
    later = _changes(pump, start, end)
    doc["program"] = [
        {"at": "0 h", **current.document},
        *({"at": _at(v.effective_at, start, tz), **v.document} for v in later),
    ]
    refills = [r for r in pump.refills if start < r.performed_at < end]
    if refills:
        doc["refill"] = [
            {
                "at": _at(r.performed_at, start, tz),
                **_fill(fill_volume_ml(r), r.concentration_mcg_per_ml, r.product),
            }
            for r in refills
        ]
    revisions = [r for r in pump.revisions if start < r.revised_at < end]
    if revisions:
        doc["revision"] = [
            {
                "at": _at(r.revised_at, start, tz),
                "model": r.catheter_model,
                "length_cm": r.catheter_length_cm,
            }
            for r in revisions
        ]
    return add_recorded_facts(doc, pump, start, end)


def _load(doc: dict[str, Any]) -> Scenario:
    return scenario_from_document(doc)


def history_scenario(
    pump: Pump, *, since: datetime, until: datetime, scores: bool = False
) -> Scenario:
    """What the records say happened from the last fill at or before `since` (or from the
    implant, when `since` is earlier) to `until`; with `scores`, the patient's baseline
    assessment before ITB (`baseline_entry`), from which the twin predicts MAS and Penn scores
    (it reads the patient's assessments, which the dates never need)."""
    if until <= since:
        raise RecordError(f"the period {since} to {until} is empty")
    start = fill_at(pump, max(since, pump.implanted_at))
    return _load(_document(pump, start.performed_at, until, fill_volume_ml(start), scores))


def _since_fill(pump: Pump, at: datetime) -> tuple[RefillRecord, float, Delivery | None]:
    """The last fill at or before `at`, the hours since it, and the pump's delivery from that
    fill to `at` as the records say it ran (None when `at` is the fill itself)."""
    last = fill_at(pump, at)
    since = elapsed_hours(at, last.performed_at, pump.time_zone)
    if since <= 0:
        return last, since, None
    past = _load(_document(pump, last.performed_at, at, fill_volume_ml(last)))
    return last, since, deliver(past.therapy, tones=False)


def current_scenario(pump: Pump, *, now: datetime, horizon_days: float = 0.0) -> Scenario:
    """The pump from `now` on: hour 0 holds what the pump calculates is left in the reservoir.

    A reservoir the pump calculates as empty starts at the last whole hour it still held drug,
    so the clinic rules see an overdue pump (the window is in the past, the empty alarm at hour
    0) rather than a fill of 0 mL, which no pump can hold.
    """
    last, since, past = _since_fill(pump, now)
    if past is not None:
        hours = np.arange(0.0, np.floor(since) + 1.0)
        hours[-1] = since
        left = past.reservoir_at(hours, estimate=True)
        holding = np.flatnonzero(left > 0)
        if holding.size == 0:
            raise RecordError(f"pump {pump.serial}: no drug left at any hour since the last fill")
        start = wall_time_after(last.performed_at, float(hours[holding[-1]]), pump.time_zone)
        volume = float(left[holding[-1]])
    else:
        start, volume = now, fill_volume_ml(last)
    end = start + timedelta(days=horizon_days) if horizon_days else start + timedelta(hours=1)
    return _load(_document(pump, start, end, volume))
