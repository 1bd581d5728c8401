"""Refill window (pumps.md §7): alarm − margin, stability cap, moved earlier for closed days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from itbtwin.clinic._pump_dates import pump_dates
from itbtwin.clinic._refill_plan import WindowOptions, refill_window
from itbtwin.sim import load_scenario

STABLE = Path(__file__).parents[2] / "examples" / "stable_sci_three_refills.toml"
DATES = pump_dates(load_scenario(STABLE).therapy)  # start Mon 8 Jan 2024 09:00, London


def test_low_reservoir_alarm_is_at_day_36_under_the_real_program():
    assert DATES.low_reservoir_h == 36 * 24 and DATES.empty_h == 40 * 24
    assert DATES.local(DATES.low_reservoir_h).date() == date(2024, 2, 13)


def test_window_ends_margin_days_before_the_alarm_on_an_open_day():
    window = refill_window(DATES, time_zone="Europe/London", options=WindowOptions(margin_days=7))
    assert window.limited_by == "low_reservoir"
    assert window.latest == date(2024, 2, 6)  # Tuesday 13 Feb − 7 days


def test_window_landing_on_a_holiday_and_weekend_moves_earlier():
    options = WindowOptions(margin_days=3, holidays=(date(2024, 2, 9),))
    window = refill_window(DATES, time_zone="Europe/London", options=options)
    # 13 Feb − 3 = Sat 10 Feb; Fri 9 Feb is a holiday -> Thu 8 Feb
    assert window.latest == date(2024, 2, 8)
    assert sum(r.rule == "refill_moved_earlier" for r in window.reasons) == 2


def test_patient_travel_moves_the_window_before_the_trip():
    options = WindowOptions(margin_days=0, travel=((date(2024, 2, 5), date(2024, 2, 16)),))
    window = refill_window(DATES, time_zone="Europe/London", options=options)
    assert window.latest == date(2024, 2, 2)


def test_dates_across_a_daylight_saving_night_stay_calendar_dates():
    window = refill_window(DATES, time_zone="Europe/London", options=WindowOptions(margin_days=0))
    stability = DATES.local(DATES.stability_h)
    assert stability.date() == date(2024, 7, 6) and stability.utcoffset().seconds == 3600
    assert window.deadline.date() == date(2024, 2, 13)


def test_no_open_day_before_the_deadline_is_overdue():
    window = refill_window(DATES, time_zone="Europe/London", options=WindowOptions(margin_days=40))
    assert window.latest is None and window.reasons[-1].rule == "refill_overdue"


def test_a_calendar_shades_a_holiday_first_then_a_closed_weekday_and_not_travel():
    options = WindowOptions(
        holidays=(date(2024, 2, 10),), travel=((date(2024, 2, 12), date(2024, 2, 12)),)
    )
    days = [date(2024, 2, d) for d in (9, 10, 11, 12)]  # Fri, Sat (holiday), Sun, Mon (away)
    assert [options.day_off(d) for d in days] == ["", "holiday", "closed", ""]
    assert options.closed(date(2024, 2, 12)) == "the patient is travelling"
