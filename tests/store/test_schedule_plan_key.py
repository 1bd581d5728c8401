"""A stored schedule plan is keyed by every window option it is made with (`WindowOptions.planned`)
and by the clinic's time zone, and by nothing it is not made with: the window's length is read on
the day (`window_at`), so changing it reads the same plan (issue 13, migration 0010)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from itbtwin.clinic import WindowOptions
from itbtwin.errors import RegimenError
from itbtwin.store._schedule_plans import plan_key

BASE = WindowOptions()
CHANGED = {
    "margin_days": 8,
    "open_weekdays": (0, 1, 2, 3),
    "holidays": (date(2026, 12, 25),),
    "travel": ((date(2026, 12, 20), date(2026, 12, 27)),),
}


def test_every_option_a_plan_is_made_with_is_in_its_key():
    assert set(BASE.planned()) == set(CHANGED)


@pytest.mark.parametrize("option", sorted(CHANGED))
def test_changing_any_one_planned_option_changes_the_plan_key(option):
    other = replace(BASE, **{option: CHANGED[option]})
    assert plan_key("Europe/London", other) != plan_key("Europe/London", BASE)


def test_the_window_length_is_read_on_the_day_so_the_plan_key_stays():
    assert plan_key("Europe/London", replace(BASE, window_days=3)) == plan_key(
        "Europe/London", BASE
    )


def test_the_clinic_time_zone_is_in_the_plan_key():
    assert plan_key("Europe/Paris", BASE) != plan_key("Europe/London", BASE)


@pytest.mark.parametrize("margin, window", [(-1, 7), (7, 0)])
def test_a_negative_margin_or_an_empty_window_is_refused(margin, window):
    with pytest.raises(RegimenError, match="the margin must be >= 0 days"):
        WindowOptions(margin_days=margin, window_days=window)
