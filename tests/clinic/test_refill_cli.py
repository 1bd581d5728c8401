"""`itbtwin refill plan` / `refill schedule`: windows from the twin, urgency, a week's slip."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.clinic import WindowOptions, pump_dates, refill_schedule, refill_window, slip_outcome
from itbtwin.errors import RegimenError, UnitError
from itbtwin.sim import load_scenario

runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples"
STABLE = EXAMPLES / "stable_sci_three_refills.toml"  # alarm Tue 13 Feb, empty Sat 17 Feb 09:00
CHANGE = EXAMPLES / "concentration_change_no_bridge.toml"
DATES = pump_dates(load_scenario(STABLE).therapy)


def refill(*args: str):
    return runner.invoke(app, ["refill", *args, "--json"])


def test_plan_gives_the_exact_alarm_dates_and_the_window():
    result = refill("plan", str(STABLE))
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["dates"]["low_reservoir_at"] == "2024-02-13T09:00:00+00:00"
    assert out["dates"]["empty_h"] == 40 * 24
    assert out["window"]["latest"] == "2024-02-06" and out["window"]["earliest"] == "2024-01-31"
    assert out["window"]["reasons"][0]["source"] == "synchromed2:S25"


def test_plan_options_margin_opening_days_holidays_and_travel_move_the_window():
    result = refill(
        "plan",
        str(STABLE),
        "--margin",
        "3 day",
        "--open",
        "mon,wed,fri",
        "--holiday",
        "2024-02-09",
        "--travel",
        "2024-02-05:2024-02-06",
    )
    out = json.loads(result.output)
    # 13 Feb − 3 = Sat 10; Fri 9 holiday; Thu 8 closed; Wed 7 open
    assert out["window"]["latest"] == "2024-02-07"
    result = refill("plan", str(STABLE), "--margin", "3 day", "--travel", "2024-02-01:2024-02-10")
    assert json.loads(result.output)["window"]["latest"] == "2024-01-31"


def test_visit_slipping_past_the_empty_reservoir_counts_days_without_drug():
    options = WindowOptions(margin_days=0)
    window = refill_window(DATES, time_zone="Europe/London", options=options)  # latest Tue 13 Feb
    slip = slip_outcome(DATES, window, time_zone="Europe/London", slip_days=7)
    assert slip.visit == date(2024, 2, 20)
    assert slip.alarms_hit == ("low_reservoir", "empty")
    # empty Sat 17 Feb 09:00 to the end of Tue 20 Feb: 3 days 15 h
    assert slip.days_without_drug == pytest.approx(3 + 15 / 24, abs=1e-3)
    rules = {r.rule: r.verdict.value for r in slip.reasons}
    assert rules["slip_without_drug"] == "block" and rules["slip_hits_empty"] == "block"


def test_visit_slipping_to_the_day_of_the_alarm_hits_it():
    options = WindowOptions(margin_days=7)
    window = refill_window(DATES, time_zone="Europe/London", options=options)  # latest Tue 6 Feb
    slip = slip_outcome(DATES, window, time_zone="Europe/London")
    assert slip.visit == date(2024, 2, 13) and slip.alarms_hit == ("low_reservoir",)
    assert slip.days_without_drug == 0


def test_slip_before_every_alarm_is_safe():
    window = refill_window(DATES, time_zone="Europe/London", options=WindowOptions(margin_days=10))
    slip = slip_outcome(DATES, window, time_zone="Europe/London")
    assert slip.alarms_hit == () and [r.rule for r in slip.reasons] == ["slip_safe"]


def test_overdue_pump_slips_from_today():
    window = refill_window(DATES, time_zone="Europe/London", options=WindowOptions(margin_days=40))
    slip = slip_outcome(DATES, window, time_zone="Europe/London")
    assert window.latest is None and slip.visit == date(2024, 1, 15)


def test_schedule_sorts_pumps_by_urgency_overdue_first():
    therapy = load_scenario(STABLE).therapy
    later = load_scenario(CHANGE).therapy
    entries = refill_schedule(
        [("later", later), ("stable", therapy)], options=WindowOptions(margin_days=7)
    )
    assert [e.name for e in entries] == ["stable", "later"]
    entries = refill_schedule(
        [("later", later), ("stable", therapy)], options=WindowOptions(margin_days=40)
    )
    assert entries[0].window.latest is None or entries[0].urgency <= entries[1].urgency


def test_schedule_command_reads_a_folder_and_lists_every_pump_sorted():
    result = refill("schedule", str(EXAMPLES), "--margin", "10 day")
    assert result.exit_code == 0, result.output
    pumps = json.loads(result.output)["pumps"]
    assert len(pumps) == len(list(EXAMPLES.glob("*.toml")))
    latest = [p["window"]["latest"] for p in pumps]
    assert latest == sorted(latest)
    assert pumps[-1]["name"] == "concentration_change_no_bridge"
    assert {"visit", "alarms_hit", "days_without_drug", "verdict"} <= set(pumps[0]["slip"])


def test_schedule_table_prints_without_json():
    result = runner.invoke(app, ["refill", "schedule", str(STABLE), str(CHANGE)])
    assert result.exit_code == 0 and "Refill schedule" in result.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--margin", "1.5 day"], RegimenError),
        (["--margin", "3"], UnitError),
        (["--open", "mon,xyz"], RegimenError),
        (["--holiday", "25/12/2024"], RegimenError),
        (["--travel", "2024-02-10:2024-02-01"], RegimenError),
        (["--travel", "2024-02-10"], RegimenError),
    ],
)
def test_bad_options_are_refused_with_a_clear_error(args, error):
    result = refill("plan", str(STABLE), *args)
    assert isinstance(result.exception, error)


def test_missing_scenario_is_refused():
    result = refill("schedule", str(EXAMPLES / "nope.toml"))
    assert isinstance(result.exception, RegimenError)


def test_the_command_lines_default_opening_days_are_the_clinics_monday_to_friday():
    from itbtwin.cli._refill import OPEN_DAYS, weekdays
    from itbtwin.clinic import WEEKDAYS_OPEN

    assert weekdays(OPEN_DAYS) == WEEKDAYS_OPEN == (0, 1, 2, 3, 4)
    assert WindowOptions().open_weekdays == WEEKDAYS_OPEN
