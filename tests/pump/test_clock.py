"""The pump clock: flex boundaries follow local time, so DST and zone changes move them and are
logged [pumps.md §8.4, synchromed2:S15]."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from itbtwin.errors import ProgramError
from itbtwin.pump import Program, PumpClock, Step, deliver
from itbtwin.pump._commands import compile_commands

from .conftest import london_clock, therapy

FLEX = Program.flex((Step(0, 7, 200), Step(7, 17, 300)), 500)
BEFORE_SPRING = datetime(2024, 3, 28, 9, 0)  # London moves to BST on 31 March, 01:00 UTC


def _step_starts(clock: PumpClock) -> list[float]:
    commands = compile_commands(therapy(program=FLEX, days=5, clock=clock).resolved())
    rising = commands.mcg_per_day[1:] > commands.mcg_per_day[:-1]
    return commands.breakpoints_h[1:][rising].tolist()


def test_daylight_saving_moves_the_07_00_step_one_hour_earlier_in_elapsed_time() -> None:
    assert _step_starts(london_clock(BEFORE_SPRING)) == [22.0, 46.0, 69.0, 93.0, 117.0]


def test_a_clock_that_ignores_daylight_saving_keeps_24_hour_steps() -> None:
    assert _step_starts(london_clock(BEFORE_SPRING, follow_dst=False)) == [
        22.0,
        46.0,
        70.0,
        94.0,
        118.0,
    ]


def test_the_daylight_saving_change_is_logged() -> None:
    delivery = deliver(therapy(program=FLEX, days=5, clock=london_clock(BEFORE_SPRING)))
    change = delivery.events_of("clock_change")
    assert [c.time_h for c in change] == [64.0]
    assert "UTC+00:00 → UTC+01:00" in change[0].detail and "1 h earlier" in change[0].detail


def test_daily_flex_dose_is_the_programmed_total_on_ordinary_days() -> None:
    delivery = deliver(
        therapy(program=FLEX, days=3, clock=london_clock(datetime(2024, 1, 8, 0, 0)))
    )
    day = delivery.cumulative_mcg([48.0])[0] - delivery.cumulative_mcg([24.0])[0]
    assert day == pytest.approx(FLEX.daily_dose_mcg(), rel=1e-12)


def test_setting_the_clock_to_another_zone_is_logged_and_moves_the_steps() -> None:
    start = datetime(2024, 1, 8, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    clock = PumpClock(start, ((0.0, "Europe/London"), (48.0, "America/New_York")))
    assert "clock set to America/New_York" in clock.changes(0, 96)[0].detail
    commands = compile_commands(therapy(program=FLEX, days=4, clock=clock).resolved())
    rising = commands.mcg_per_day[1:] > commands.mcg_per_day[:-1]
    assert commands.breakpoints_h[1:][rising].tolist() == [22.0, 46.0, 51.0, 75.0]


def test_unknown_time_zone_is_an_error() -> None:
    start = datetime(2024, 1, 8, tzinfo=ZoneInfo("UTC"))
    with pytest.raises(ProgramError, match="unknown time zone 'Mars/Base'"):
        PumpClock(start, ((0.0, "Mars/Base"),))
