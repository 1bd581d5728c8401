"""Issue 13 §4: a pump implanted in a transaction is invisible to every other writer until that
transaction commits, so the transaction's later writes for it (the demo clinic's titration and
refills) neither lock nor reread it; the next transaction locks it as any other pump."""

from __future__ import annotations

from datetime import date, timedelta

from itbtwin import store
from itbtwin.clinic import RefillVisit
from store_clinic import IMPLANT, NOW, locks_taken, one_patient


def _dose(engine, mcg_per_day: int, days: int) -> None:
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        document = {"mode": "continuous", "daily_dose": f"{mcg_per_day} mcg/day"}
        store.set_program(
            session, "dr", pump, document, effective_at=IMPLANT + timedelta(days=days), now=NOW,
            why="titration",
        )  # fmt: skip


def _patient_and_pump(session) -> None:
    """`store_clinic.one_patient`'s patient and pump, in the caller's transaction."""
    patient = store.add_patient(
        session, "nurse", identifier="P001", birth_date=date(1980, 5, 1), weight_kg=75.0,
        origin="spinal", today=NOW.date(), injury_level="T4",
    )  # fmt: skip
    store.implant(
        session, "dr", patient, device="synchromed2-20", serial="NGP001", implanted_at=IMPLANT,
        time_zone="Europe/London", catheter_model="8709SC", catheter_length_cm=50.0,
        tip_level="T10", fill=RefillVisit(0.0, 0.0, 20.0, "Lioresal", 500.0), lot="L1",
        program={"mode": "continuous", "daily_dose": "250 mcg/day"}, now=NOW,
    )  # fmt: skip


def test_issue_13_a_pump_implanted_in_the_transaction_is_not_locked_again_in_it(engine):
    store.upgrade(engine)
    with locks_taken(engine) as taken:
        with store.transaction(engine) as session:
            _patient_and_pump(session)
            pump = store.find_pump(session, "NGP001")
            store.set_program(
                session, "dr", pump, {"mode": "continuous", "daily_dose": "275 mcg/day"},
                effective_at=IMPLANT + timedelta(days=2), now=NOW, why="titration",
            )  # fmt: skip
        assert taken == []
        _dose(engine, 300, 4)  # a later transaction locks and rereads it
        assert len(taken) == 1
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        assert [v.mean_daily_dose_mcg for v in pump.programs] == [250.0, 275.0, 300.0]


def test_issue_13_a_pump_implanted_earlier_is_locked_by_the_first_write(engine):
    store.upgrade(engine)
    one_patient(engine)
    with locks_taken(engine) as taken:
        _dose(engine, 275, 2)
        assert len(taken) == 1
