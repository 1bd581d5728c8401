"""Each pump's schedule plan stored beside its dates (`pump_dates.plan`, migration 0010).

A plan (`clinic.schedule_plan`) is the part of a schedule entry that does not change with the
day it is read: the deadline and its reason, the days the last refill day moves earlier, each
alarm's local time. It depends on the dates (the row's digest keeps those honest: a new digest
is a new row, without a plan) and on the window options it was made with (`plan_key`, from
`WindowOptions.planned`: all but the window's length, read on the day); made from the
fill's day (`first_day`) and read on any later day, it gives the entry `clinic.schedule_entry`
computes (issue 13).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from itbtwin.clinic import PumpDates, Reason, Verdict
from itbtwin.clinic._refill_plan import DEFAULT_WINDOW, WindowOptions, WindowPlan, clinic_day
from itbtwin.clinic._refill_schedule import ScheduleEntry, SchedulePlan, entry_at, schedule_plan
from itbtwin.clinic._slip import SLIP_DAYS, SlipPlan
from itbtwin.pump import zone
from itbtwin.store._dates_rows import PumpDatesRow
from itbtwin.store._engine import keeps_cache

PLAN_VERSION = "plan-1"
"""Bumped when a plan's content changes: every stored plan is then made again."""


_VERDICTS = {v.value: v for v in Verdict}


def plan_key(time_zone: str, options: WindowOptions) -> str:
    """The digest of what a plan is made with besides the dates: the clinic's time zone and
    the window options a plan depends on (`WindowOptions.planned`: margin, opening days,
    holidays, travel)."""
    made = sorted(options.planned().items())
    text = json.dumps([PLAN_VERSION, time_zone, made], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def first_day(dates: PumpDates, time_zone: str) -> date:
    """The fill's day in the clinic's time zone: a stored plan is read on that day or later."""
    return clinic_day(dates, time_zone, 0.0)


def _reason(r: Reason) -> list[str]:
    return [r.rule, r.verdict.value, r.source, r.text]


def plan_json(plan: SchedulePlan) -> dict[str, Any]:
    """A plan as JSON."""
    window = plan.window
    return {
        "deadline": window.deadline.isoformat(),
        "limited_by": window.limited_by,
        "deadline_reason": _reason(window.deadline_reason),
        "latest": window.latest and window.latest.isoformat(),
        "moved": [[day.isoformat(), *_reason(r)] for day, r in window.moved],
        "alarms": [list(alarm) for alarm in plan.slip.alarms],
        "empty_h": plan.slip.empty_h,
    }


def plan_from_json(data: dict[str, Any], time_zone: str) -> SchedulePlan:
    """A stored plan, its deadline in the clinic's `time_zone`."""

    def reason(rule: str, verdict: str, source: str, text: str) -> Reason:
        return Reason(rule, _VERDICTS[verdict], source, text)

    latest = data["latest"]
    window = WindowPlan(
        datetime.fromisoformat(data["deadline"]).astimezone(zone(time_zone)),
        data["limited_by"],
        reason(*data["deadline_reason"]),
        None if latest is None else date.fromisoformat(latest),
        tuple((date.fromisoformat(day), reason(*r)) for day, *r in data["moved"]),
    )
    alarms = tuple((str(name), float(t), str(local)) for name, t, local in data["alarms"])
    return SchedulePlan(window, SlipPlan(alarms, data["empty_h"]))


def made_plan(dates: PumpDates, time_zone: str, options: WindowOptions) -> SchedulePlan:
    """A new plan for `dates`, readable from the fill's day on."""
    first = first_day(dates, time_zone)
    return schedule_plan(dates, time_zone=time_zone, first_day=first, options=options)


def store_plans(session: Session, plans: Sequence[tuple[int, str, dict[str, Any]]]) -> None:
    """Keep (pump id, plan key, plan JSON) on the pumps' stored dates rows, in the caller's
    transaction (a pump without a stored row keeps nothing)."""
    if plans and keeps_cache(session):
        table = PumpDatesRow.__table__
        statement = (
            update(table)
            .where(table.c.pump_id == bindparam("pump"))
            .values(plan_key=bindparam("key"), plan=bindparam("made", type_=table.c.plan.type))
        )
        rows = [{"pump": i, "key": key, "made": plan} for i, key, plan in plans]
        session.connection().execute(statement, rows)


MEMO_PLANS = 20_000
"""How many stored plans a process keeps parsed (found by their text and time zone, so a
changed plan is parsed anew; the web server reads the same plans on every page)."""

_parsed: dict[tuple[str, str], SchedulePlan] = {}


def _parse(texts: list[tuple[str, str]]) -> None:
    """Parse stored plans (text, clinic time zone) in one call and keep them."""
    if len(_parsed) + len(texts) > MEMO_PLANS:
        _parsed.clear()
    data = json.loads(f"[{','.join(text for text, _ in texts)}]")
    for (text, tz), one in zip(texts, data, strict=True):
        _parsed[text, tz] = plan_from_json(one, tz)


def planned_entries(
    session: Session,
    pumps: Sequence[tuple[int, str, str, PumpDates, str | None, str | None]],
    options: WindowOptions = DEFAULT_WINDOW,
    slip_days: int = SLIP_DAYS,
) -> list[ScheduleEntry]:
    """Each pump's schedule entry from its stored plan while the plan's key matches, else from
    a plan made now and stored (in the caller's transaction); the stored plans parsed at once.

    `pumps`: (pump id, name, clinic time zone, dates, stored plan key, stored plan JSON text;
    both None when the dates were not read from a stored row). `options`, `slip_days` (d): as
    in `clinic.schedule_entry`.
    """
    keys = {tz: plan_key(tz, options) for tz in {tz for _, _, tz, *_ in pumps}}
    texts = [(text, tz) if text and key == keys[tz] else None for _, _, tz, _, key, text in pumps]
    _parse([found for found in texts if found is not None and found not in _parsed])
    entries, new = [], []
    for (pump_id, name, tz, dates, *_), found in zip(pumps, texts, strict=True):
        if found is None:
            plan = made_plan(dates, tz, options)
            new.append((pump_id, keys[tz], plan_json(plan)))
        else:
            plan = _parsed[found]
        entries.append(
            entry_at(name, dates, plan, time_zone=tz, options=options, slip_days=slip_days)
        )
    store_plans(session, new)
    return entries
