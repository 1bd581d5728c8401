"""Refill reconciliation, the accuracy model, pocket-fill detection and demand boluses
[pumps.md §8.7, §8.15; wesemann2014, maino2017, prometra:S57]."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from itbtwin.pump import (
    DemandSettings,
    Fault,
    Fill,
    Program,
    Refill,
    Step,
    deliver,
    ptc_refill_days,
)

from .conftest import DAY, therapy


def _monthly(n: int, **kwargs):
    refills = tuple(Refill(30 * DAY * k, Fill(20, 500)) for k in range(1, n + 1))
    return therapy(days=30 * n + 1, refills=refills, **kwargs)


def test_ideal_pump_withdraws_exactly_the_expected_residual() -> None:
    report = deliver(_monthly(1)).refills[0]
    assert report.expected_ml == 5.0 and report.withdrawn_ml == 5.0 and report.error_pct == 0.0


def test_typical_pump_delivers_2_5_percent_more_per_refill() -> None:
    reports = deliver(_monthly(2, accuracy="typical")).refills
    assert [r.error_pct for r in reports] == pytest.approx([2.5, 2.5])
    assert reports[0].discrepancy_ml == pytest.approx(-0.375)


def test_random_accuracy_is_reproducible_and_centred_on_the_device_bias() -> None:
    plan = _monthly(12, accuracy="random", seed=3)
    errors = [r.error_pct for r in deliver(plan).refills]
    assert errors == [r.error_pct for r in deliver(plan).refills]
    assert np.mean(errors) == pytest.approx(2.5, abs=3.0)


@pytest.mark.parametrize(
    ("device", "fill", "fraction", "flagged"),
    [
        ("synchromed2-20", 20, 0.06, True),
        ("synchromed2-20", 20, 0.04, False),
        ("synchromed2-40", 40, 0.06, True),
        ("synchromed2-40", 40, 0.04, False),
    ],
)
def test_pocket_fill_is_flagged_above_1_ml_in_20_ml_and_2_ml_in_40_ml_pumps(
    device: str, fill: float, fraction: float, flagged: bool
) -> None:
    plan = therapy(
        device,
        fill_ml=fill,
        days=12,
        refills=(Refill(10 * DAY, Fill(fill, 500)),),
        faults=(Fault("pocket_fill", 10 * DAY, fraction=fraction),),
    )
    delivery = deliver(plan)
    assert delivery.refills[0].pocket_fill_flag is flagged
    assert bool(delivery.events_of("pocket_fill_suspected")) is flagged
    assert delivery.subcutaneous_bolus_mcg.sum() == pytest.approx(fill * fraction * 500)


def test_missed_refill_runs_the_reservoir_dry_and_a_late_one_restores_delivery() -> None:
    plan = therapy(
        days=50,
        refills=(Refill(30 * DAY, Fill(20, 500)),),
        faults=(Fault("missed_refill", 30 * DAY, delay_h=14 * DAY),),
    )
    delivery = deliver(plan)
    assert delivery.events_of("reservoir_dry")[0].time_h == 40 * DAY
    assert delivery.refills[0].time_h == 44 * DAY
    gap = delivery.cumulative_mcg([44 * DAY])[0] - delivery.cumulative_mcg([40 * DAY])[0]
    assert gap == 0.0


def _demand_plan(times: tuple[float, ...]):
    program = dataclasses.replace(
        Program("continuous", 500, (Step(0, 24, 200),)), demand=DemandSettings(12.5, 0.25, 3.0, 4)
    )
    return therapy(device="prometra2-20", program=program, days=3, demands=times)


def test_demand_bolus_inside_the_lockout_or_past_the_daily_maximum_is_refused() -> None:
    delivery = deliver(_demand_plan((1.0, 2.0, 4.0, 8.0, 12.0, 16.0, 30.0)))
    given = [e.time_h for e in delivery.events_of("demand_bolus")]
    refused = [e.time_h for e in delivery.events_of("demand_refused")]
    assert given == [1.0, 4.0, 8.0, 12.0, 30.0]
    assert refused == [2.0, 16.0]


def test_ptc_refill_date_assumes_every_allotted_bolus_and_is_recalculated_at_each_bolus() -> None:
    assert ptc_refill_days(20, 0.4, 0.025, 4, 3.0) == 34.0
    delivery = deliver(_demand_plan((0.0, 4.0)))
    recalculated = delivery.events_of("refill_date")
    assert [e.time_h for e in recalculated] == [0.0, 4.0]
    assert "day 34" in recalculated[0].detail


def test_a_pocket_fill_follows_its_refill_when_that_refill_is_late() -> None:
    faults = (
        Fault("pocket_fill", 10 * DAY, fraction=0.5),
        Fault("missed_refill", 10 * DAY, delay_h=2 * DAY),
    )
    plan = therapy(days=15, refills=(Refill(10 * DAY, Fill(20, 500)),), faults=faults)
    delivery = deliver(plan)
    assert delivery.refills[0].time_h == 12 * DAY and delivery.refills[0].pocket_fill_flag
