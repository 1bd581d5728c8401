"""Invariants over random programs and faults: drug and solution are conserved along the path
(reservoir + pump + catheter + delivered + leaked + pocket + removed = filled) and the event log is
in time order."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itbtwin.pump import Bolus, Fault, Fill, Program, Refill, Revision, Step, deliver, find_catheter

from .conftest import DAY, therapy

CATHETER_FAULTS = ("occlusion", "kink", "fracture", "disconnection")


@st.composite
def plans(draw):
    days = draw(st.integers(10, 60))
    c0 = draw(st.sampled_from([500.0, 2000.0]))
    if draw(st.booleans()):
        program = Program.continuous(draw(st.floats(0.1, 2.0)) * c0, c0)
    else:
        n = draw(st.integers(2, 13))
        steps = tuple(Step(24 * i / n, 24 / n, draw(st.floats(0.1, 2.0)) * c0) for i in range(n))
        program = Program.flex(steps, c0)
    refill_days = sorted(set(draw(st.lists(st.integers(1, days - 1), max_size=3))))
    refills = tuple(
        Refill(d * DAY, Fill(draw(st.floats(5, 20)), draw(st.sampled_from([500.0, 2000.0]))))
        for d in refill_days
    )
    faults = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from([*CATHETER_FAULTS, "mri", "motor_stall", "low_battery_reset"]))
        at = draw(st.floats(0, days * DAY - 1))
        if kind == "mri":
            faults.append(Fault(kind, at, duration_h=1.0, delay_h=draw(st.floats(0, 24))))
        else:
            faults.append(Fault(kind, at, fraction=draw(st.floats(0.1, 1.0))))
    if refills and draw(st.booleans()):
        faults.append(Fault("pocket_fill", refills[0].at_h, fraction=draw(st.floats(0.05, 1.0))))
    if refills and draw(st.booleans()):
        faults.append(Fault("missed_refill", refills[-1].at_h, delay_h=draw(st.floats(0, 5 * DAY))))
    revisions = ()
    boluses = ()
    if draw(st.booleans()):
        at = draw(st.integers(1, days - 1)) * DAY + 0.5
        revisions = (Revision(at, find_catheter("ascenda"), draw(st.floats(20, 80))),)
        boluses = (Bolus(at, "priming", 1.0),)
    return therapy(
        device="synchromed2-20",
        fill_ml=draw(st.floats(2, 20)),
        concentration=c0,
        days=days,
        program=program,
        refills=refills,
        faults=tuple(sorted(faults, key=lambda f: f.at_h)),
        revisions=revisions,
        boluses=boluses,
        primed=draw(st.booleans()),
        accuracy=draw(st.sampled_from(["ideal", "typical", "random"])),
        seed=draw(st.integers(0, 9)),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_drug_and_volume_are_conserved_along_the_path(plan) -> None:
    delivery = deliver(plan)
    ledger = delivery.ledger
    mass_error, volume_error = ledger.balance_error()
    assert abs(mass_error) <= 1e-9 * ledger.filled[0]
    assert abs(volume_error) <= 1e-9 * ledger.filled[1]
    assert min(delivery.reservoir_ml) >= -1e-9
    assert min(delivery.intrathecal_mcg_per_h) >= 0 and min(delivery.tissue_mcg_per_h) >= 0
    total = delivery.cumulative_mcg([plan.span_h])[0]
    assert abs(total - ledger.delivered[0]) <= 1e-6 * max(ledger.filled[0], 1.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_events_are_in_time_order_and_inside_the_span(plan) -> None:
    times = [e.time_h for e in deliver(plan).events]
    assert times == sorted(times)
    assert all(0 <= t <= plan.span_h for t in times)
