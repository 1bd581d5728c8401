"""The drug path: old solution first after a concentration change, priming of an empty catheter
[pumps.md §7, §8.8]."""

from __future__ import annotations

import pytest

from itbtwin.pump import Bolus, DrugPath, Fill, Program, Refill, deliver

from .conftest import DAY, therapy

DEAD_ML = 0.2 + 50 * 0.0022  # SynchroMed II internal volume + 50 cm of 8709SC (unverified)


def _switch(bridge: bool):
    new = Program.continuous(250, 2000)
    plan = therapy().bridge_plan(30 * DAY)  # the old 250 mcg/day at 500 mcg/mL
    boluses = (Bolus(30 * DAY, "bridge", plan.duration_h),) if bridge else ()
    return therapy(
        days=36,
        programs=((0.0, Program.continuous(250, 500)), (30 * DAY, new)),
        refills=(Refill(30 * DAY, Fill(20, 2000)),),
        boluses=boluses,
    )


def test_without_a_bridge_bolus_old_solution_is_delivered_at_the_new_rate_first() -> None:
    delivery = deliver(_switch(bridge=False))
    arrival = delivery.events_of("tip_concentration")[0].time_h
    assert arrival - 30 * DAY == pytest.approx(DEAD_ML / 0.125 * 24, rel=1e-12)
    window = delivery.cumulative_mcg([arrival])[0] - delivery.cumulative_mcg([30 * DAY])[0]
    assert window == pytest.approx(500 * DEAD_ML, rel=1e-12)  # old concentration × new rate
    assert delivery.events_of("no_bridge_bolus")


def test_a_bridge_bolus_clears_the_old_solution_at_the_old_rate() -> None:
    delivery = deliver(_switch(bridge=True))
    arrival = delivery.events_of("tip_concentration")[0].time_h
    assert arrival - 30 * DAY == pytest.approx(DEAD_ML / 0.5 * 24, rel=1e-12)  # 14.88 h
    assert not delivery.events_of("no_bridge_bolus")


def test_an_empty_catheter_delivers_no_drug_until_primed() -> None:
    unprimed = deliver(therapy(days=2, primed=False))
    assert unprimed.cumulative_mcg([5.0])[0] == 0.0
    arrival = unprimed.events_of("tip_concentration")[0].time_h
    assert arrival == pytest.approx(50 * 0.0022 / 0.5 * 24)
    primed = deliver(therapy(days=2, primed=False, boluses=(Bolus(0.0, "priming", 1.0),)))
    assert primed.events_of("tip_concentration")[0].time_h < 1.0


def test_drug_path_is_first_in_first_out() -> None:
    path = DrugPath(0.2, 0.1, 500, 500)
    assert path.push(0.1, 2000) == pytest.approx(50)
    assert path.push(0.2, 2000) == pytest.approx(100)
    assert path.push(0.1, 2000) == pytest.approx(200)
    removed_ml, removed_mcg = path.replace_catheter(0.2)
    assert removed_ml == pytest.approx(0.1) and removed_mcg == pytest.approx(200)
    assert path.outlet_c == 0.0 and path.volume_ml == pytest.approx(0.4)
