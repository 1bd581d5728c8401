"""Stored records through the clinic rules: reconciliation numbers, program versions, revisions,
and the records replayed as scenarios (exact pump arithmetic)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itbtwin import store
from itbtwin.clinic import RefillVisit, Verdict, reconcile_refill
from itbtwin.errors import ProductError, RecordError
from itbtwin.pump import find_device
from store_clinic import IMPLANT, NOW, one_patient

SM20 = find_device("synchromed2-20")


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    one_patient(engine)
    return engine


def test_refill_reconciliation_numbers(clinic):
    visit = RefillVisit(4.6, 5.0, 20.0, "Lioresal", 500.0, measured_ml=18.5)
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        record, check = store.record_refill(
            session, "nurse", pump, visit, performed_at=datetime(2026, 10, 1, 10), lot="L2", now=NOW
        )
    # Last fill 20 mL; the pump expected 5 mL left (15 mL programmed), 4.6 mL came back
    # (15.4 mL delivered): +2.67%. 20 mL injected, 18.5 mL measured: 1.5 mL > 1 mL threshold.
    assert record.discrepancy_ml == pytest.approx(-0.4)
    assert record.error_pct == pytest.approx(100 * (15.4 / 15 - 1))
    assert record.pocket_discrepancy_ml == pytest.approx(1.5)
    assert record.pocket_fill_flag
    assert check.verdict == Verdict.BLOCK
    assert [r.rule for r in check.reasons] == ["pocket_fill_suspected"]
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        assert [e.kind for e in pump.events] == ["pocket_fill_suspected"]


def test_a_new_concentration_in_the_reservoir_must_be_programmed(clinic):
    visit = RefillVisit(5.0, 5.0, 20.0, "Lioresal", 2000.0)
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        _, check = store.record_refill(
            session, "nurse", pump, visit, performed_at=datetime(2026, 10, 1, 10), lot="L", now=NOW
        )
    assert [r.rule for r in check.reasons] == ["concentration_not_programmed"]


def test_program_versions_are_kept_and_a_block_stores_nothing(clinic):
    at = datetime(2026, 10, 2, 10)
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        store.set_program(
            session, "dr", pump, {"mode": "continuous", "daily_dose": "300 mcg/day"},
            effective_at=at, now=NOW, why="spasms at night",
        )  # fmt: skip
    with pytest.raises(store.ProgramBlocked) as blocked, store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        store.set_program(
            session, "dr", pump, {"mode": "continuous", "daily_dose": "3000 mcg/day"},
            effective_at=at + timedelta(days=2), now=NOW, why="typo",
        )  # fmt: skip
    assert "decimal_slip" in blocked.value.check.rules
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        assert [(v.version, v.mean_daily_dose_mcg, v.verdict) for v in pump.programs] == [
            (1, 250.0, "initial"),
            (2, 300.0, "pass"),
        ]
        assert store.version_at(pump, at - timedelta(minutes=1)).version == 1
        (entry,) = [e for e in store.audit_trail(session) if e.action == "program.set"]
        assert (entry.actor, entry.why, entry.what["mcg_per_day"]) == (
            "dr",
            "spasms at night",
            [250.0, 300.0],
        )


def test_current_scenario_holds_what_the_pump_calculates_is_left(clinic):
    # 250 mcg/day of 500 mcg/mL is 0.5 mL/day; 10 days after the 20 mL implant fill, 15 mL.
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        scenario = store.current_scenario(pump, now=IMPLANT + timedelta(days=10))
    assert scenario.therapy.fill.volume_ml == pytest.approx(15.0, abs=1e-9)
    assert scenario.therapy.pump_age_h == 240.0
    assert scenario.patient.origin == "spinal"


def test_an_empty_pump_starts_at_its_last_hour_with_drug(clinic):
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        scenario = store.current_scenario(pump, now=IMPLANT + timedelta(days=45))
    # 20 mL at 0.5 mL/day lasts 40 days: hour 959 holds 1/48 mL.
    assert scenario.document["scenario"]["start"] == IMPLANT + timedelta(hours=959)
    assert scenario.therapy.fill.volume_ml == pytest.approx(0.5 / 24, rel=1e-9)


def test_history_replays_refills_programs_and_revisions(clinic):
    refill_at, revised_at = datetime(2026, 10, 1, 10), datetime(2026, 10, 10, 9)
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        store.record_refill(
            session, "nurse", pump, RefillVisit(5.0, 5.0, 18.0, "Lioresal", 500.0),
            performed_at=refill_at, lot="L2", now=NOW,
        )  # fmt: skip
        store.revise(
            session, "dr", pump, revised_at=revised_at, catheter_model="8709SC",
            catheter_length_cm=40.0, tip_level="T8", reason="fracture on X-ray", now=NOW,
        )  # fmt: skip
        scenario = store.history_scenario(pump, since=IMPLANT, until=NOW)
        assert store.catheter_at(pump, NOW)["tip_level"] == "T8"
        assert store.catheter_at(pump, refill_at)["length_cm"] == 50.0
    therapy = scenario.therapy
    assert [(r.at_h, r.fill.volume_ml) for r in therapy.refills] == [(720.0, 18.0)]
    assert [(r.at_h, r.length_cm) for r in therapy.revisions] == [(935.0, 40.0)]
    # Elapsed hours run on the pump clock: the clocks went back on 25 Oct, one hour more than
    # the wall-clock difference (issue 13's daylight-saving fix).
    london = ZoneInfo("Europe/London")
    elapsed = NOW.replace(tzinfo=london).astimezone(UTC) - IMPLANT.replace(tzinfo=london)
    assert (
        therapy.span_h
        == elapsed.total_seconds() / 3600
        == (NOW - IMPLANT).total_seconds() / 3600 + 1
    )


def test_unknown_patient_and_pump_are_named(clinic):
    with store.transaction(clinic) as session:
        with pytest.raises(RecordError, match="no patient 'P999'"):
            store.find_patient(session, "P999")
        with pytest.raises(RecordError, match="no pump with serial 'X'"):
            store.find_pump(session, "X")


def test_unknown_product_is_refused():
    visit = RefillVisit(5.0, 5.0, 20.0, "Lioresal", 1500.0)
    with pytest.raises(ProductError, match="no product 'Lioresal' at 1500"):
        reconcile_refill(visit, SM20, last_fill_ml=20.0, program_concentration_mcg_per_ml=1500.0)


volumes = st.floats(0.0, 20.0, allow_nan=False)


@given(last=st.floats(1.0, 20.0), expected=volumes, withdrawn=volumes)
def test_reconciliation_is_the_volume_balance(last, expected, withdrawn):
    if expected >= last or withdrawn > last:
        return
    visit = RefillVisit(withdrawn, expected, 20.0, "", 500.0)
    check = reconcile_refill(visit, SM20, last_fill_ml=last, program_concentration_mcg_per_ml=500.0)
    delivered, programmed = last - withdrawn, last - expected
    assert check.discrepancy_ml == pytest.approx(withdrawn - expected)
    assert check.error_pct == pytest.approx(100 * (delivered - programmed) / programmed)
    flagged = "refill_discrepancy" in {r.rule for r in check.reasons}
    assert flagged == (abs(check.error_pct) > 15.0)


def test_a_recorded_catheter_fault_reaches_the_risk_list_until_a_revision(clinic):
    found_at, revised_at = datetime(2026, 9, 10, 9), datetime(2026, 9, 12, 9)
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        store.record_event(
            session, "dr", pump, occurred_at=found_at, kind="occlusion",
            detail="no CSF on side-port aspiration", now=NOW,
        )  # fmt: skip
        patient = pump.patient
        assert store.risk_record(patient).recorded_faults == ("occlusion",)
        overview = store.clinic_overview(session, now=datetime(2026, 9, 11, 9))
        (risk,) = overview.risks
        assert "fault_occlusion" in {r.rule for r in risk.reasons}
        store.revise(
            session, "dr", pump, revised_at=revised_at, catheter_model="8709SC",
            catheter_length_cm=50.0, tip_level="T10", reason="occluded catheter", now=NOW,
        )  # fmt: skip
        assert store.risk_record(patient).recorded_faults == ()


def test_programming_a_new_concentration_needs_a_bridge_bolus(clinic):
    refill_at, change_at = datetime(2026, 10, 1, 10), datetime(2026, 10, 1, 10, 30)
    program = {"mode": "continuous", "daily_dose": "250 mcg/day", "concentration": "2000 mcg/mL"}
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        store.record_refill(
            session, "nurse", pump, RefillVisit(5.0, 5.0, 20.0, "Lioresal", 2000.0),
            performed_at=refill_at, lot="L2", now=NOW,
        )  # fmt: skip
    with pytest.raises(store.ProgramBlocked) as blocked, store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        store.set_program(session, "dr", pump, program, effective_at=change_at, now=NOW, why="x")
    assert blocked.value.check.rules == ("missing_bridge_bolus",)
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        version, check = store.set_program(
            session, "dr", pump, program, effective_at=change_at, now=NOW,
            why="500 → 2000 mcg/mL", bridge_bolus=True,
        )  # fmt: skip
        assert (version.concentration_mcg_per_ml, check.verdict) == (2000.0, Verdict.PASS)
        (entry,) = [e for e in store.audit_trail(session) if e.action == "program.set"]
        assert entry.what["bridge_bolus"] is True
