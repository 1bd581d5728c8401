"""Refill dates by exact integration give the hourly twin's minute (issue 13 point 2).

`pump_dates` integrates the commanded volume rate between its changes; `deliver` walks the pump
state. On every shipped scenario and on random programs (flex steps, periodic and demand boluses,
bridge boluses, daylight-saving clocks, per-pump alarm volumes, flow bias, end of service) the
low-reservoir and empty times agree to the minute.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itbtwin.clinic import pump_dates
from itbtwin.pump import (
    Bolus,
    ClockBolus,
    DemandSettings,
    Program,
    PumpClock,
    Step,
    deliver,
    find_device,
)
from itbtwin.pump._reservoir_forecast import max_demand_times
from itbtwin.sim import load_scenario

from .conftest import DAY, therapy

MINUTE_H = 1 / 60
EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.toml"))


def twin_dates(plan, reach_h: float) -> tuple[float | None, float | None]:
    """Low-reservoir and empty hours from the twin run to `reach_h`, no refill, demands at
    maximum use (what `pump_dates` promises to reproduce)."""
    programs = plan.programs
    ends = [t for t, _ in programs[1:]] + [reach_h]
    demands = tuple(
        t
        for (start, program), end in zip(programs, ends, strict=True)
        for t in max_demand_times(program, start, min(end, reach_h))
    )
    kept = tuple(f for f in plan.faults if f.kind not in ("pocket_fill", "missed_refill"))
    ahead = dataclasses.replace(plan, span_h=reach_h, refills=(), demands=demands, faults=kept)
    delivery = deliver(ahead, tones=False)
    lows = delivery.events_of("alarm", "low_reservoir")
    empty = [e.time_h for e in delivery.events_of("alarm", "empty_reservoir")]
    empty += [e.time_h for e in delivery.events if e.kind == "reservoir_dry"]
    return (lows[0].time_h if lows else None), min(empty, default=None)


def assert_same_minute(found: float | None, expected: float | None) -> None:
    assert (found is None) == (expected is None), (found, expected)
    if found is not None:
        assert found == pytest.approx(expected, abs=MINUTE_H)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_shipped_scenario_gets_the_twins_minute(path) -> None:
    plan = load_scenario(path).therapy
    dates = pump_dates(plan)
    low, empty = twin_dates(plan, (dates.empty_h or plan.span_h) + 2 * DAY)
    assert_same_minute(dates.low_reservoir_h, low)
    assert_same_minute(dates.empty_h, empty)


def test_20_ml_at_half_a_ml_a_day_alarms_at_864_h_and_empties_at_960_h() -> None:
    # (20 - 2) mL / 0.5 mL/day = 36 days; 20 / 0.5 = 40 days [pumps.md §8.1].
    dates = pump_dates(therapy())
    assert (dates.low_reservoir_h, dates.empty_h) == (864.0, 960.0)
    assert dates.mean_ml_per_day == 0.5


def test_alarm_and_empty_past_the_stability_limit_are_still_dated() -> None:
    # 40 mL at 0.1 mL/day: alarm at 380 days, empty at 400, far past the 180-day limit.
    dates = pump_dates(therapy("synchromed2-40", fill_ml=40.0, daily_mcg=50.0, days=1))
    assert dates.stability_h == 180 * DAY
    assert dates.low_reservoir_h == pytest.approx(380 * DAY)
    assert dates.empty_h == pytest.approx(400 * DAY)


def test_a_pump_at_end_of_service_never_empties() -> None:
    device = find_device("synchromed2-20")
    age = device.eos_h - 10 * DAY  # stops in 10 days; 20 mL last 40
    dates = pump_dates(therapy(pump_age_h=age))
    assert dates.eos_h == pytest.approx(10 * DAY)
    assert dates.empty_h is None and dates.low_reservoir_h is None


DEVICES = ("synchromed2-20", "synchromed2-40", "prometra2-20")
ZONES = ("Europe/London", "America/New_York", "Australia/Sydney")


@st.composite
def programs(draw, device, concentration: float):
    """A continuous, flex or periodic program inside the device's rates, maybe with demand."""
    low, high = device.min_rate_ml_per_day * 1.01, min(device.max_rate_ml_per_day, 3.0)
    rate = st.floats(low, high).map(lambda ml: round(ml * concentration, 3))
    mode = draw(st.sampled_from(("continuous", "flex", "periodic")))
    if mode == "continuous":
        program = Program.continuous(draw(rate), concentration)
    elif mode == "flex":
        cuts = sorted(draw(st.sets(st.integers(1, 23), min_size=1, max_size=3)))
        edges = [0, *cuts, 24]
        days = draw(st.sampled_from((frozenset(range(7)), None)))
        steps = tuple(
            Step(float(a), float(b - a), draw(rate)) for a, b in itertools.pairwise(edges)
        )
        if days is None:  # weekdays and weekend differ
            weekend = frozenset({5, 6})
            steps = tuple(dataclasses.replace(s, days=frozenset(range(5))) for s in steps)
            steps += (Step(0.0, 24.0, draw(rate), weekend),)
        program = Program.flex(steps, concentration)
    else:
        at = float(draw(st.integers(0, 22)))
        bolus = ClockBolus(at, draw(st.floats(5, 50)), draw(st.sampled_from((0.5, 1.0))))
        program = Program.periodic(draw(rate), (bolus,), concentration)
    if draw(st.booleans()):
        demand = DemandSettings(
            draw(st.floats(5, 40)),
            0.5,
            float(draw(st.integers(1, 8))),
            draw(st.integers(1, 4)),
        )
        program = dataclasses.replace(program, demand=demand)
    return program


@st.composite
def random_therapies(draw):
    device = find_device(draw(st.sampled_from(DEVICES)))
    lo, hi = device.low_alarm_range_ml
    alarm = draw(st.floats(lo, hi))
    device = device.with_values("assumption", False, low_reservoir_alarm_ml=alarm)
    c = draw(st.sampled_from((500.0, 1000.0, 2000.0)))
    fill = draw(st.floats(3.0, device.reservoir_ml))
    history = [(0.0, draw(programs(device, c)))]
    boluses = []
    for _ in range(draw(st.integers(0, 2))):
        at = history[-1][0] + draw(st.integers(1, 40 * 24)) + draw(st.sampled_from((0.0, 0.25)))
        history.append((at, draw(programs(device, c))))
    start = datetime(2025, 1, 1, 9) + timedelta(days=draw(st.integers(0, 365)))
    zone = draw(st.sampled_from(ZONES))
    clock = PumpClock(start.replace(tzinfo=ZoneInfo(zone)), ((0.0, zone),), draw(st.booleans()))
    age = draw(st.sampled_from((0.0, device.eos_h - draw(st.integers(5, 120)) * DAY)))
    plan = therapy(
        device_spec=device,
        fill_ml=fill,
        concentration=c,
        programs=tuple(history),
        clock=clock,
        days=history[-1][0] / DAY + 1,
        pump_age_h=age,
        accuracy=draw(st.sampled_from(("ideal", "typical"))),
    )
    for at, _ in history[1:]:
        if draw(st.booleans()):
            boluses.append(Bolus(at, "bridge", plan.bridge_plan(at).duration_h))
    return dataclasses.replace(plan, boluses=tuple(boluses))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_therapies())
def test_random_programs_get_the_twins_minute(plan) -> None:
    dates = pump_dates(plan)
    stop = dates.eos_h if dates.eos_h is not None else float("inf")
    last = dates.empty_h if dates.empty_h is not None else stop
    reach = min(max(last, plan.programs[-1][0]) + 2 * DAY, stop + DAY)
    low, empty = twin_dates(plan, max(reach, plan.programs[-1][0] + 1.0))
    assert_same_minute(dates.low_reservoir_h, low)
    assert_same_minute(dates.empty_h, empty)
