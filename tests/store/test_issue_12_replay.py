"""Issue 12 point 3: recorded catheter faults become twin faults sized from the records, on SQLite
and PostgreSQL; a fault without a measured size is said, never guessed. P001's pump NGP001 holds
20 mL of 500 mcg/mL at 250 mcg/day (0.5 mL/day) from 1 Sep 2026 10:00."""

from __future__ import annotations

from datetime import datetime

import pytest

from itbtwin import store
from itbtwin.clinic import RefillVisit
from itbtwin.sim import run_twin
from store_clinic import IMPLANT, NOW, one_patient

REFILL_AT = datetime(2026, 10, 1, 10)
"""30 days after the implant: 15 mL programmed, 20 − 15 = 5 mL expected back."""
UNTIL = datetime(2026, 10, 20, 10)


def _recorded(engine, *, withdrawn_ml: float, event: tuple[str, float | None] | None = None):
    store.upgrade(engine)
    one_patient(engine)
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        visit = RefillVisit(withdrawn_ml, 5.0, 20.0, "Lioresal", 500.0)
        store.record_refill(session, "n", pump, visit, performed_at=REFILL_AT, lot="L", now=NOW)
        if event is not None:
            kind, fraction = event
            at = datetime(2026, 10, 1, 10, 30)
            store.record_event(
                session, "n", pump, occurred_at=at, kind=kind, detail="", now=NOW, fraction=fraction
            )


def _replay(engine):
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        scenario = store.history_scenario(pump, since=IMPLANT, until=UNTIL)
        facts = store.recorded_facts(pump, IMPLANT, UNTIL)
    return scenario, facts


def test_issue_12_a_refill_shortfall_becomes_an_occlusion_of_the_measured_share(engine):
    # withdrew 9.5 mL where 5 were expected: delivered 10.5 of 15 mL programmed, −30 %
    _recorded(engine, withdrawn_ml=9.5, event=("occlusion", None))
    scenario, facts = _replay(engine)
    before, after = scenario.document["fault"]
    assert (before["kind"], before["at"], before["until"]) == ("occlusion", "0.0 h", "720.0 h")
    assert before["fraction"] == pytest.approx(0.3, abs=1e-12)
    assert (after["at"], after["fraction"], "until" in after) == (
        "720.5 h",
        before["fraction"],
        False,
    )
    outcome = run_twin(scenario)
    assert outcome.summary["delivered_over_programmed"] == pytest.approx(0.7, abs=0.001)
    assert all("derived from the records" in f.text for f in facts)


def test_a_shortfall_inside_the_tolerance_is_no_fault(engine):
    _recorded(engine, withdrawn_ml=6.0)  # −6.7 %, inside the 15 % reconciliation tolerance
    scenario, facts = _replay(engine)
    assert "fault" not in scenario.document and facts == []


@pytest.mark.parametrize("kind", ["fracture", "catheter_fracture"])
def test_a_fault_share_measured_with_the_event_is_replayed_until_the_revision(engine, kind):
    _recorded(engine, withdrawn_ml=5.0, event=(kind, 0.5))
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        store.revise(
            session,
            "dr",
            pump,
            revised_at=datetime(2026, 10, 11, 10, 30),
            catheter_model="8709SC",
            catheter_length_cm=50.0,
            tip_level=None,
            reason="fracture repaired",
            now=NOW,
        )
    scenario, _ = _replay(engine)
    [fault] = scenario.document["fault"]
    assert fault == {"kind": "fracture", "at": "720.5 h", "fraction": 0.5, "until": "960.5 h"}


def test_a_fault_without_a_measured_size_is_said_and_not_replayed(engine):
    _recorded(engine, withdrawn_ml=5.0, event=("fracture", None))
    scenario, facts = _replay(engine)
    assert "fault" not in scenario.document
    [fact] = facts
    assert not fact.replayed and "not measured" in fact.text
    assert fact.reason().verdict.value == "warn"


def test_a_voided_fault_leaves_the_replay(engine):
    _recorded(engine, withdrawn_ml=9.5, event=("occlusion", None))
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        event = store.find_event(pump, datetime(2026, 10, 1, 10, 30))
        store.void_entry(session, "n", event, why="contrast study normal")
        refill = store.find_refill(pump, REFILL_AT)
        store.amend_refill(session, "n", pump, refill, why="read the syringe again", now=NOW,
                           withdrawn_ml=5.2)  # fmt: skip
    scenario, facts = _replay(engine)
    assert "fault" not in scenario.document and facts == []
