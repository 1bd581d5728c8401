"""The clinic overview read the fast way gives what the old way gave (issue 13).

Old way: each pump's scenario written as TOML and read back (`loads_scenario`), the boxed-warning
factors one `Covariates` per patient, each entry computed on the day (`clinic.schedule_entry`),
nothing cached. New way: the scenario validated from its document (`scenario_from_document`),
the factors in one batch, the dates and the schedule plans read back from their stored rows (a
plan stored on one day is read on later days too). On the demo clinic (trouble cases included:
empty pump, occlusion, missed visits, a concentration change) every entry and every risk is the
same, field by field, at the clinic's now and later (now-dependent parts: window, slip, days
left), with and without holidays that move windows earlier.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import tomli_w
from sqlalchemy import delete, func, select

from clinic_databases import DATABASES, fresh_database
from itbtwin import store
from itbtwin.clinic import WindowOptions, schedule_entry
from itbtwin.clinic._risk import label_factors
from itbtwin.sim import loads_scenario
from itbtwin.store import _overview as overview_module
from itbtwin.store import _scenario, _schedule_plans
from itbtwin.store._dates_cache import PumpDatesRow

TODAY = datetime(2026, 3, 2, 8)


@pytest.fixture(scope="module", params=DATABASES)
def demo(request, tmp_path_factory):
    """The 12-patient demo clinic on each database kind (the cached dates and plans are read
    back from SQLite's and PostgreSQL's own column types)."""
    with fresh_database(request.param, tmp_path_factory.mktemp("demo")) as url:
        engine = store.open_engine(url)
        store.upgrade(engine)
        with store.transaction(engine) as session:
            store.build_demo_clinic(session, seed=7, today=TODAY, size=12, actor="demo")
        yield engine
        engine.dispose()


def _overview(engine, now: datetime, **options) -> dict:
    with store.transaction(engine) as session:
        return store.clinic_overview(session, now=now, **options).as_dict()


def _stored(engine) -> int:
    with store.transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(PumpDatesRow))


def _forget(engine) -> None:
    with store.transaction(engine) as session:
        session.execute(delete(PumpDatesRow))


def _live_entries(_session, pumps, options, slip_days) -> list:
    """Each entry computed on the day by `clinic.schedule_entry`, no plan."""
    return [
        schedule_entry(name, dates, time_zone=tz, options=options, slip_days=slip_days)
        for _, name, tz, dates, *_ in pumps
    ]


def _old_way(engine, now: datetime, monkeypatch, **options) -> dict:
    """The overview computed as before issue 13: TOML round trip, one patient at a time."""
    _forget(engine)
    with monkeypatch.context() as patch:
        patch.setattr(_scenario, "_load", lambda doc: loads_scenario(tomli_w.dumps(doc)))
        patch.setattr(
            overview_module,
            "clinic_label_factors",
            lambda records, origins, ages: [
                label_factors(*one) for one in zip(records, origins, ages, strict=True)
            ],
        )
        patch.setattr(overview_module, "planned_entries", _live_entries)
        return _overview(engine, now, **options)


@pytest.mark.parametrize("days_later", [1 / 24, 7])
def test_issue_13_the_cached_overview_equals_the_old_computation(demo, monkeypatch, days_later):
    now = TODAY + timedelta(days=days_later)
    old = _old_way(demo, now, monkeypatch)
    _forget(demo)
    computed = _overview(demo, now)
    assert _stored(demo) == len(computed["pumps"]) >= 12
    cached = _overview(demo, now)
    assert computed == old
    assert cached == old
    reasons = {r["rule"] for risk in old["risks"] for r in risk["reasons"]}
    assert {"label_risk_factor", "days_of_drug_left", "missed_visits"} <= reasons


CLOSED = tuple(TODAY.date() + timedelta(days=d) for d in range(2, 30))
"""Four weeks of holidays from the day after tomorrow: windows move earlier, to before days
read later, so some are overdue then with part of their moves behind them."""


@pytest.mark.parametrize("days_later", [3, 10, 20])
@pytest.mark.parametrize("holidays", [(), CLOSED])
def test_issue_13_a_plan_stored_on_one_day_reads_on_a_later_day_as_computed_then(
    demo, monkeypatch, days_later, holidays
):
    _forget(demo)
    options = WindowOptions(holidays=holidays)
    _overview(demo, TODAY + timedelta(hours=1), options=options)
    later = TODAY + timedelta(days=days_later)
    with monkeypatch.context() as patch:  # every entry comes from its stored plan
        patch.setattr(_schedule_plans, "made_plan", lambda *_: pytest.fail("plan made again"))
        cached = _overview(demo, later, options=options)
    assert cached == _old_way(demo, later, monkeypatch, options=options)
    moved = {r["rule"] for e in cached["pumps"] for r in e["window"]["reasons"]}
    assert holidays == () or "refill_moved_earlier" in moved


def test_issue_13_a_plan_made_with_other_holidays_is_made_again(demo, monkeypatch):
    now = TODAY + timedelta(days=3)
    _forget(demo)
    _overview(demo, now)
    closed = WindowOptions(holidays=CLOSED)
    again = _overview(demo, now, options=closed)
    assert again == _old_way(demo, now, monkeypatch, options=closed)
    assert again != _overview(demo, now)
