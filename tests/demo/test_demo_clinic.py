"""The demo clinic (issue 6, item 5): who is in it, the trouble planted on purpose, and that a
seed and a day give the same records every time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from itbtwin import store
from itbtwin.clinic import WindowOptions, assess_risk, refill_schedule
from itbtwin.errors import RecordError

from .conftest import TODAY, built, records


@pytest.fixture(scope="module")
def full():
    """The default clinic of 50 patients (records only: no overview, to keep the suite fast)."""
    return built(seed=7, size=50)


@pytest.fixture(scope="module")
def small():
    """A 12-patient clinic with its overview at `TODAY` (the holidays the demo passes)."""
    engine, clinic = built(seed=3, size=12)
    with store.transaction(engine) as session:
        options = WindowOptions(holidays=clinic.holidays)
        overview = store.clinic_overview(session, now=TODAY, options=options)
    return engine, clinic, overview


def test_the_demo_clinic_mixes_origins_ages_pumps_and_concentrations(full):
    engine, clinic = full
    assert clinic.patients == 50 and set(clinic.trouble) == {
        "holiday",
        "catheter_fault",
        "concentration_change",
        "empty_soon",
        "eri",
    }
    with store.transaction(engine) as session:
        patients = store.list_patients(session)
        pumps = store.implanted_pumps(session)
        ages = [store.age_years(p, TODAY.date()) for p in patients]
        concentrations = {store.version_at(p, TODAY).concentration_mcg_per_ml for p in pumps}
        assert len(patients) == len(pumps) == 50
        assert {p.origin for p in patients} == {"spinal", "cerebral"}
        assert {p.device for p in pumps} == {"synchromed2-20", "synchromed2-40"}
        assert concentrations == {500.0, 2000.0}
        assert sum(a < 12 for a in ages) >= 5 and max(ages) > 50
        assert all(len(p.refills) >= 2 and len(p.programs) >= 2 for p in pumps)
        assert all(len(p.assessments) >= 2 for p in patients)
        stamps = [r.performed_at for p in pumps for r in p.refills]
        assert max(stamps) < TODAY


def test_every_record_went_through_the_store_and_has_an_audit_entry(full):
    engine, clinic = full
    with store.transaction(engine) as session:
        actions = [e.action for e in store.audit_trail(session)]
    assert actions.count("patient.add") == actions.count("pump.implant") == 50
    assert actions.count("refill.record") == clinic.refills
    assert actions.count("program.set") == clinic.programs - 50
    assert actions.count("assessment.record") == clinic.assessments


def test_the_holiday_moves_a_refill_window_earlier(small):
    _, clinic, overview = small
    (entry,) = [e for e in overview.entries if e.name == clinic.trouble["holiday"]]
    moved = [r for r in entry.window.reasons if r.rule == "refill_moved_earlier"]
    assert any("a holiday" in r.text for r in moved)
    assert entry.window.latest < clinic.holidays[0]
    assert entry in overview.due_within(14)


def test_the_catheter_fault_patient_is_at_risk_and_recorded(small):
    engine, clinic, overview = small
    who = clinic.trouble["catheter_fault"]
    assert who in [r.name for r in overview.at_risk()]
    with store.transaction(engine) as session:
        pump = store.active_pump(store.find_patient(session, who))
        assert [e.kind for e in pump.events] == ["occlusion"]
        assert pump.refills[-1].error_pct == pytest.approx(-30, abs=2)
        (last,) = [e.what for e in store.audit_trail(session, "refill", pump.refills[-1].id)]
    assert "refill_discrepancy" in [r["rule"] for r in last["reasons"]]


def test_the_concentration_change_is_in_the_refills_and_the_program(small):
    engine, clinic, _ = small
    with store.transaction(engine) as session:
        pump = store.active_pump(
            store.find_patient(session, clinic.trouble["concentration_change"])
        )
        assert [r.concentration_mcg_per_ml for r in pump.refills][-2:] == [500.0, 2000.0]
        newest = pump.programs[-1]
        assert (newest.concentration_mcg_per_ml, newest.effective_at) == (
            2000.0,
            pump.refills[-1].performed_at,
        )
        assert newest.mean_daily_dose_mcg == pump.programs[-2].mean_daily_dose_mcg
        (change,) = [
            e for e in store.audit_trail(session, "pump", pump.id) if e.action == "program.set"
            and e.what["version"] == newest.version
        ]  # fmt: skip
    assert "bridge bolus" in change.why and change.what["verdict"] != "block"


def test_the_missed_visit_patient_runs_dry_and_tops_the_risk_list(small):
    _, clinic, overview = small
    who = clinic.trouble["empty_soon"]
    top = overview.at_risk()[0]
    assert (top.name, top.verdict.value) == (who, "block")
    assert {"days_of_drug_left", "missed_visits"} <= {r.rule for r in top.reasons}
    (entry,) = [e for e in overview.entries if e.name == who]
    assert entry.window.latest is None  # overdue: refill now


def test_the_old_pump_reaches_its_replacement_indicator_soon(small):
    _, clinic, overview = small
    (risk,) = [r for r in overview.risks if r.name == clinic.trouble["eri"]]
    assert "eri_soon" in [r.rule for r in risk.reasons]


@pytest.mark.parametrize("today", [datetime(2026, 7, 2, 8), datetime(2026, 10, 10, 8)])
def test_the_holiday_case_works_whatever_the_weekday(today):
    engine, clinic = built(seed=11, size=8, today=today)
    who = clinic.trouble["holiday"]
    with store.transaction(engine) as session:
        pump = store.active_pump(store.find_patient(session, who))
        scenario = store.current_scenario(pump, now=today)
        options = WindowOptions(holidays=clinic.holidays)
        (entry,) = refill_schedule([(who, scenario.therapy)], options=options)
        risk = assess_risk(who, scenario, store.risk_record(pump.patient))
    assert any("a holiday" in r.text for r in entry.window.reasons)
    assert risk.days_left > 7


@pytest.mark.parametrize("today", [date(2026, 3, 2) + timedelta(days=k) for k in range(7)])
def test_the_holidays_are_two_weekdays_five_or_more_days_ahead(today):
    first, second = store.demo_holidays(today)
    assert second - first == timedelta(days=1) and first.weekday() <= 3
    assert 5 <= (first - today).days <= 8


def test_the_same_seed_and_day_give_the_same_records():
    assert records(built(seed=5, size=8)[0]) == records(built(seed=5, size=8)[0])


def test_another_seed_or_day_gives_another_clinic():
    first = records(built(seed=5, size=8)[0])
    assert records(built(seed=6, size=8)[0]) != first
    assert records(built(seed=5, size=8, today=TODAY + timedelta(days=1))[0]) != first


def test_a_clinic_too_small_for_the_trouble_cases_is_refused():
    with pytest.raises(RecordError, match="at least 8 patients"):
        built(seed=1, size=7)
