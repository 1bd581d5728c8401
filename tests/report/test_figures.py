"""The report's figures put their data where the clinic reads it: windows on their dates, alarms
and refills at their times, units on every axis (issue 6, item 4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from matplotlib import dates as mdates

from itbtwin.clinic import WindowOptions, refill_schedule
from itbtwin.report import (
    Timeline,
    concentration_figure,
    dose_figure,
    refill_calendar,
    reservoir_figure,
    response_figure,
    scenario_timeline,
)
from itbtwin.sim import load_scenario, loads_scenario

EXAMPLES = Path(__file__).parents[2] / "examples"


def _num(moment: date | datetime) -> float:
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time())
    return float(mdates.date2num(moment))


def _line(ax, label: str):  # type: ignore[no-untyped-def]
    return next(line for line in ax.get_lines() if line.get_label() == label)


@pytest.fixture(scope="module")
def schedule():  # type: ignore[no-untyped-def]
    """Missed refill (window 31 Jan - 6 Feb 2024), a concentration change, and a pump that is
    almost empty today (no open day left: overdue)."""
    almost_empty = (
        (EXAMPLES / "missed_refill.toml")
        .read_text()
        .replace(
            'volume = "20 mL"\nconcentration = "500 mcg/mL"\nproduct = "Lioresal"\n\n[[program]]',
            'volume = "2.5 mL"\nconcentration = "500 mcg/mL"\nproduct = "Lioresal"\n\n[[program]]',
        )
    )
    pumps = [
        ("missed", load_scenario(EXAMPLES / "missed_refill.toml").therapy),
        ("change", load_scenario(EXAMPLES / "concentration_change_no_bridge.toml").therapy),
        ("empty", loads_scenario(almost_empty).therapy),
    ]
    return refill_schedule(pumps, time_zone="Europe/London")


def test_calendar_puts_each_window_bar_on_its_dates(schedule) -> None:
    today = date(2024, 1, 8)
    fig = refill_calendar(schedule, today=today, days=28)
    ax = fig.axes[0]
    bars = next(c for c in ax.containers if c.get_label() == "refill window")
    windows = [e for e in schedule if e.window.earliest is not None]
    assert len(bars.patches) == len(windows) == 2
    for bar, entry in zip(bars.patches, windows, strict=True):
        row = [e.name for e in schedule].index(entry.name)
        assert bar.get_x() == pytest.approx(_num(entry.window.earliest))
        days = (entry.window.latest - entry.window.earliest).days + 1
        assert bar.get_width() == pytest.approx(days)
        assert bar.get_y() + bar.get_height() / 2 == pytest.approx(row)
    missed = next(e for e in schedule if e.name == "missed")
    assert (missed.window.earliest, missed.window.latest) == (date(2024, 1, 31), date(2024, 2, 6))


def test_calendar_marks_alarms_today_and_the_overdue_pump(schedule) -> None:
    today = date(2024, 1, 8)
    ax = refill_calendar(schedule, today=today, days=28).axes[0]
    names = [e.name for e in schedule]
    missed = schedule[names.index("missed")]
    low = [line for line in ax.get_lines() if line.get_marker() == "v"]
    at = {(round(float(x), 6), y) for line in low for x, y in zip(*line.get_data(), strict=True)}
    expected = missed.dates.local(missed.dates.low_reservoir_h).replace(tzinfo=None)
    assert (round(_num(expected), 6), names.index("missed")) in at
    assert _num(expected) == pytest.approx(_num(datetime(2024, 2, 13, 9, 0)))
    overdue = _line(ax, "overdue")
    assert float(overdue.get_ydata()[0]) == names.index("empty")
    assert float(overdue.get_xdata()[0]) == pytest.approx(_num(today) + 0.5)
    assert float(_line(ax, "today").get_xdata()[0]) == pytest.approx(_num(today))
    assert ax.get_yticklabels()[0].get_text() == names[0]


def test_calendar_shades_closed_days_and_holidays(schedule) -> None:
    today = date(2024, 1, 8)  # a Monday
    holiday = date(2024, 1, 10)
    options = WindowOptions(holidays=(holiday,))
    ax = refill_calendar(schedule, today=today, days=13, options=options).axes[0]
    spans = [p for p in ax.patches if p.get_label() != "refill window" and p.get_width() == 1]
    starts = {mdates.num2date(p.get_x()).date() for p in spans}
    weekends = {today + timedelta(days=d) for d in range(-1, 14)}
    weekends = {d for d in weekends if d.weekday() >= 5}
    assert starts == weekends | {holiday}


@pytest.fixture(scope="module")
def timeline(missed_refill) -> Timeline:
    return scenario_timeline(missed_refill[0])


def test_reservoir_figure_marks_alarms_and_the_refill_at_their_times(missed_refill, timeline):
    outcome = missed_refill[1]
    ax = reservoir_figure(outcome, timeline, 2.0).axes[0]
    start = datetime(2024, 1, 8, 9, 0)
    for label, day in (("low-reservoir alarm", 36), ("empty-reservoir alarm", 40), ("refill", 44)):
        x = _line(ax, label).get_xdata()
        assert mdates.date2num(x[0]) == pytest.approx(_num(start + timedelta(days=day)))
    assert _line(ax, "low-reservoir alarm").get_ydata()[0] == pytest.approx(2.0)
    assert ax.get_ylabel() == "reservoir volume (mL)"
    assert ax.get_xlabel() == "date (Europe/London)"


def test_dose_figure_shows_the_gap_in_mcg_per_day(missed_refill, timeline) -> None:
    ax = dose_figure(missed_refill[1], timeline).axes[0]
    delivered = np.asarray(_line(ax, "delivered at the tip").get_ydata())
    assert delivered.max() == pytest.approx(250.0)
    assert delivered.min() == pytest.approx(0.0)
    assert "mcg/day" in ax.get_ylabel()


def test_concentration_figure_has_linear_and_log_axes_with_events(missed_refill) -> None:
    fig = concentration_figure(missed_refill[1])  # no start: days on the time axis
    linear, log = fig.axes
    assert (linear.get_yscale(), log.get_yscale()) == ("linear", "log")
    for ax in fig.axes:
        assert ax.get_ylabel() == "lumbar CSF (ng/mL)"
        labels = {line.get_label() for line in ax.get_lines()}
        assert {"refill", "alarm onset"} <= labels
    assert log.get_xlabel() == "time (days)"
    assert float(_line(log, "refill").get_xdata()[0]) == pytest.approx(44.0)


def test_response_figure_plots_mas_and_penn(missed_refill, timeline) -> None:
    fig = response_figure(missed_refill[1], timeline)
    mas_axis, penn_axis = fig.axes
    assert mas_axis.get_ylabel() == "MAS grade (0-4)"
    assert "Penn" in penn_axis.get_ylabel()
    assert [t.get_text() for t in mas_axis.get_yticklabels()] == ["0", "1", "1+", "2", "3", "4"]
