"""Injected faults: MRI, telemetry lock, battery reset, motor stall, Prometra valves, catheter
faults, wrong concentration, random faults [pumps.md §8.9, 8.10, 8.12-8.14]."""

from __future__ import annotations

import numpy as np
import pytest

from itbtwin.pump import FAULT_RATES, Fault, Fill, Refill, deliver, draw_faults

from .conftest import DAY, therapy

RATE = 250 / 24  # mcg/h at the tip, steady


def test_mri_stops_delivery_with_a_two_tone_alarm_and_restarts_after_the_delay() -> None:
    mri = Fault("mri", 5 * DAY, duration_h=1.0, delay_h=12.0)
    delivery = deliver(therapy(days=10, faults=(mri,), interrogations=(6 * DAY, 7 * DAY)))
    during = delivery.cumulative_mcg([5 * DAY + 13])[0] - delivery.cumulative_mcg([5 * DAY])[0]
    assert during == 0.0
    stall = delivery.events_of("alarm", "motor_stall")[0]
    assert stall.time_h == 5 * DAY and stall.tone == "two_tone"
    recovery = delivery.events_of("motor_stall_recovery")[0]
    assert recovery.time_h == 5 * DAY + 13
    assert recovery.seen_h == 7 * DAY  # the second interrogation after the scan
    assert delivery.intrathecal_mcg_per_h[-1] == pytest.approx(RATE)


def test_mri_while_an_alarm_sounds_leaves_the_pump_stopped_until_interrogated() -> None:
    mri = Fault("mri", 37 * DAY, duration_h=1.0, delay_h=2.0)
    plan = therapy(days=39, fill_ml=20, faults=(mri,), interrogations=(38 * DAY,))
    delivery = deliver(plan)
    assert delivery.cumulative_mcg([38 * DAY])[0] == delivery.cumulative_mcg([37 * DAY])[0]
    assert delivery.events_of("motor_stall_recovery")[0].time_h == 38 * DAY
    assert any("telemetry" in e.detail for e in delivery.events_of("fault"))


def test_low_battery_reset_drops_to_the_reset_rate_until_reprogrammed() -> None:
    from itbtwin.pump import Program

    programs = ((0.0, Program.continuous(250, 500)), (3 * DAY, Program.continuous(250, 500)))
    plan = therapy(days=4, programs=programs, faults=(Fault("low_battery_reset", 1 * DAY),))
    delivery = deliver(plan)
    reset_rate = 0.048 * 500 / 24
    i = np.searchsorted(delivery.breakpoints_h, 2 * DAY, side="right") - 1
    assert delivery.intrathecal_mcg_per_h[i] == pytest.approx(reset_rate)
    assert delivery.events_of("alarm", "low_battery_reset")[0].tone == "two_tone"
    assert delivery.intrathecal_mcg_per_h[-1] == pytest.approx(RATE)


def test_permanent_motor_stall_stops_delivery_for_good_with_two_tone_alarm() -> None:
    delivery = deliver(therapy(days=10, faults=(Fault("motor_stall", 2 * DAY),)))
    assert delivery.cumulative_mcg([10 * DAY])[0] == pytest.approx(2 * 250)
    alarm = delivery.events_of("alarm", "motor_stall")[0]
    assert alarm.tone == "two_tone" and not delivery.events_of("alarm_cleared", "motor_stall")


def test_prometra_i_in_mri_dumps_reservoir_and_catheter_at_once() -> None:
    plan = therapy("prometra-20", days=3, faults=(Fault("mri", 1 * DAY, duration_h=1.0),))
    delivery = deliver(plan)
    dumped = delivery.intrathecal_bolus_mcg.sum()
    assert dumped == pytest.approx((20 - 0.5) * 500)
    assert delivery.cumulative_mcg([3 * DAY])[0] == pytest.approx(20 * 500)


def test_prometra_ii_in_mri_lets_10_microlitres_through_then_no_flow_until_reset() -> None:
    plan = therapy(
        "prometra2-20",
        days=3,
        faults=(Fault("mri", 1 * DAY, duration_h=1.0),),
        interrogations=(2 * DAY,),
    )
    delivery = deliver(plan)
    assert delivery.intrathecal_bolus_mcg.sum() == pytest.approx(0.01 * 500)
    before = delivery.cumulative_mcg([1 * DAY], at_time=False)[0]
    stopped = delivery.cumulative_mcg([2 * DAY])[0] - before
    assert stopped == pytest.approx(0.01 * 500)
    assert delivery.intrathecal_mcg_per_h[-1] == pytest.approx(RATE)


def test_occlusion_keeps_the_drug_in_the_reservoir_and_shows_at_the_refill() -> None:
    plan = therapy(
        days=20,
        faults=(Fault("occlusion", 5 * DAY, until_h=10 * DAY),),
        refills=(Refill(15 * DAY, Fill(20, 500)),),
    )
    report = deliver(plan).refills[0]
    assert report.expected_ml == pytest.approx(20 - 7.5)
    assert report.withdrawn_ml == pytest.approx(20 - 5)
    assert report.discrepancy_ml == pytest.approx(2.5)


def test_partial_fracture_sends_that_share_into_the_tissue() -> None:
    delivery = deliver(therapy(days=4, faults=(Fault("fracture", 0.0, fraction=0.4),)))
    tissue = delivery.cumulative_mcg([4 * DAY], "tissue")[0]
    assert tissue == pytest.approx(0.4 * 4 * 250)
    assert delivery.cumulative_mcg([4 * DAY])[0] == pytest.approx(0.6 * 4 * 250)


def test_wrong_concentration_programmed_multiplies_the_dose() -> None:
    fault = Fault("wrong_concentration", 1 * DAY, concentration_mcg_per_ml=500)
    plan = therapy(days=3, refills=(Refill(1 * DAY, Fill(20, 2000)),), faults=(fault,), boluses=())
    delivery = deliver(plan)
    assert delivery.events_of("concentration_mismatch")
    assert delivery.intrathecal_mcg_per_h[-1] == pytest.approx(4 * RATE)


def test_unit_slip_fault_gives_24_times_the_dose_and_a_warning() -> None:
    from itbtwin.pump import Program

    plan = therapy(days=2, program=Program.continuous(60, 500), faults=(Fault("unit_slip", DAY),))
    delivery = deliver(plan)
    assert delivery.intrathecal_mcg_per_h[-1] * 24 == pytest.approx(1440)
    assert any("24× change" in e.detail for e in delivery.events_of("program"))


def test_random_faults_follow_their_rates_and_the_seed() -> None:
    a = draw_faults(np.random.default_rng(7), 1e6 * DAY, scale=1.0)
    b = draw_faults(np.random.default_rng(7), 1e6 * DAY, scale=1.0)
    assert a == b
    occlusions = sum(f.kind == "occlusion" for f in a)
    expected = FAULT_RATES["occlusion"].per_year * 1e6 / 365.25
    assert occlusions == pytest.approx(expected, rel=0.15)
    assert FAULT_RATES["motor_stall"].per_year * 6 == pytest.approx(-np.log(0.973))
