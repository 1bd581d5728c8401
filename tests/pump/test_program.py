"""Programs as data: dose arithmetic, unit guard, flex limits, device checks [pumps.md §8.3-8.5]."""

from __future__ import annotations

import pytest

from itbtwin.errors import ProgramError
from itbtwin.pump import DEVICES, ClockBolus, DemandSettings, Program, Step, dose_change_warnings

SYNCHROMED = DEVICES["synchromed2-20"]


def test_half_ml_per_day_of_500_mcg_per_ml_is_250_mcg_per_day() -> None:
    program = Program.continuous(250, 500)
    assert program.daily_volume_ml() == 0.5
    assert program.daily_dose_mcg() == 250


def test_sixty_entered_per_hour_for_per_day_gives_1440_mcg_per_day_and_is_flagged_24x() -> None:
    intended = Program.continuous(60, 500)
    slipped = intended.unit_slipped()
    assert slipped.daily_dose_mcg() == 1440
    assert slipped.daily_dose_mcg() / intended.daily_dose_mcg() == 24
    warnings = dose_change_warnings(60, 1440)
    assert any("24× change" in w for w in warnings)


def _flex(n: int) -> tuple[Step, ...]:
    return tuple(Step(24 * i / n, 24 / n, 100 + 10 * i) for i in range(n))


def test_flex_accepts_13_steps_and_rejects_14() -> None:
    Program.flex(_flex(13), 500).check_device(SYNCHROMED)
    with pytest.raises(ProgramError, match=r"14 flex steps on mon.*at most 13"):
        Program.flex(_flex(14), 500).check_device(SYNCHROMED)


def test_flex_daily_total_is_the_sum_of_rate_times_duration() -> None:
    steps = (Step(0, 6, 200), Step(6, 3, 400), Step(9, 13, 240), Step(22, 2, 120))
    program = Program.flex(steps, 500)
    assert program.daily_dose_mcg() == (200 * 6 + 400 * 3 + 240 * 13 + 120 * 2) / 24
    assert program.rate_mcg_per_day(0, 7.5) == 400


def test_flex_steps_may_differ_by_weekday() -> None:
    weekend = frozenset({5, 6})
    steps = (
        Step(0, 24, 240, frozenset(range(5))),
        Step(0, 12, 480, weekend),
        Step(12, 12, 240, weekend),
    )
    program = Program.flex(steps, 500)
    assert program.daily_dose_mcg(0) == 240 and program.daily_dose_mcg(6) == 360


def test_overlapping_flex_steps_are_rejected() -> None:
    with pytest.raises(
        ProgramError,
        match=r"overlap on mon: the step at 00:00 runs to 10:00, past the step at 07:00",
    ):
        Program.flex((Step(0, 10, 200), Step(7, 14, 200), Step(21, 3, 200)), 500)


def test_flex_steps_must_cover_the_day() -> None:
    with pytest.raises(ProgramError, match="gap"):
        Program.flex((Step(0, 10, 200), Step(12, 12, 200)), 500)


def test_rate_outside_the_device_range_is_rejected_with_both_units() -> None:
    with pytest.raises(ProgramError, match=r"30 mL/day \(15000 mcg/day at 500 mcg/mL\), outside"):
        Program.continuous(15000, 500).check_device(SYNCHROMED)
    with pytest.raises(ProgramError, match="outside"):
        Program.continuous(10, 500).check_device(SYNCHROMED)


def test_constant_flow_pump_takes_its_dose_only_from_the_concentration() -> None:
    codman = DEVICES["codman3000"]
    Program.continuous(500, 500).check_device(codman)
    with pytest.raises(ProgramError, match="change the concentration"):
        Program.continuous(250, 500).check_device(codman)


def test_periodic_boluses_add_to_the_basal_dose() -> None:
    program = Program.periodic(200, (ClockBolus(8, 25, 1), ClockBolus(20, 25, 1)), 500)
    assert program.daily_dose_mcg() == 250
    assert program.rate_mcg_per_day(0, 8.5) == 200 + 25 * 24
    assert program.clock_hours(0) == [0.0, 8.0, 9.0, 20.0, 21.0]


def test_a_bolus_faster_than_the_device_allows_is_rejected() -> None:
    program = Program(
        "continuous", 500, (Step(0, 24, 250),), demand=DemandSettings(1000, 0.5, 2, 4)
    )
    with pytest.raises(ProgramError, match="at most 1 mL/h"):
        program.check_device(SYNCHROMED)


@pytest.mark.parametrize(
    ("old", "new", "origin", "child", "warned"),
    [
        (300, 390, "spinal", False, False),
        (300, 400, "spinal", False, True),
        (300, 345, "cerebral", False, False),
        (300, 350, "cerebral", False, True),
        (300, 350, "spinal", True, True),
        (1000, 1250, "spinal", False, True),
    ],
)
def test_dose_increases_past_the_titration_limit_need_a_second_confirmation(
    old: float, new: float, origin: str, child: bool, warned: bool
) -> None:
    warnings = dose_change_warnings(old, new, origin, child)
    assert bool(warnings) is warned
