"""A pocket fill reads as drug that went into the pocket, not as an injection into the pump
(issue 17: the patient report said "injected 14 mL" of a refill whose drug was in the pocket).

By hand, examples/pocket_fill.toml: half of a 20 mL refill goes into the pocket, so 10 mL reach
the reservoir and 10 mL the pocket. On the records, P001's pump NGP001 (20 mL of 500 mcg/mL at
0.5 mL/day from 1 Sep 2026 10:00) is refilled on 1 Oct with 14 mL injected and 4 mL measured in
the reservoir: 14 − 4 = 10 mL went into the pocket.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from itbtwin import store
from itbtwin.clinic import RefillVisit
from itbtwin.sim import load_scenario, run_twin
from store_clinic import IMPLANT, NOW, one_patient

POCKET = Path(__file__).parents[2] / "examples" / "pocket_fill.toml"


def details(outcome, kind: str) -> list[str]:
    return [e.detail for e in outcome.events if e.kind == kind]


def test_a_simulated_pocket_fill_says_how_much_went_into_the_pocket_and_the_reservoir():
    outcome = run_twin(load_scenario(POCKET))
    (refill,) = details(outcome, "refill")
    assert refill.endswith(
        "injected 20 mL Lioresal at 500 mcg/mL: 10 mL into the reservoir, 10 mL into the pocket "
        "(subcutaneous)"
    )
    assert "pocket fill: 10 mL of the refill went into the subcutaneous pocket, not the " in (
        " ".join(details(outcome, "fault"))
    )


def test_a_refill_without_a_pocket_fill_says_what_went_into_the_reservoir():
    scenario = load_scenario(Path(__file__).parents[2] / "examples/stable_sci_three_refills.toml")
    first = details(run_twin(scenario), "refill")[0]
    assert first.endswith("20 mL Lioresal at 500 mcg/mL into the reservoir")


def test_a_recorded_pocket_fill_is_not_shown_as_an_injection_of_the_measured_volume(engine):
    store.upgrade(engine)
    one_patient(engine)
    at, until = datetime(2026, 10, 1, 10), datetime(2026, 10, 5, 10)
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        visit = RefillVisit(5.0, 5.0, 14.0, "Lioresal", 500.0, measured_ml=4.0)
        store.record_refill(session, "n", pump, visit, performed_at=at, lot="L", now=NOW)
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        scenario = store.history_scenario(pump, since=IMPLANT, until=until)
        facts = store.recorded_facts(pump, IMPLANT, until)
    (fact,) = [f for f in facts if f.kind == "pocket_fill"]
    assert "of 14 mL injected, 4 mL was measured in the reservoir and 10.00 mL went into the " in (
        fact.text
    )
    refill = details(run_twin(scenario), "refill")[-1]
    assert refill.endswith("4 mL Lioresal at 500 mcg/mL into the reservoir")
    assert "injected 4 mL" not in refill
