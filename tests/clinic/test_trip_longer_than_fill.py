"""A trip longer than one fill covers, or a margin as long as a fill, is a visible warning with
its numbers (issue 17).

By hand, stable_sci_three_refills: a SynchroMed II 20 mL with its 2 mL low-reservoir alarm at
250 mcg/day of 500 mcg/mL = 0.5 mL/day. A full fill lasts (20 − 2) / 0.5 = 36 days to the alarm;
with a 3-day clinic margin it covers 33 days away. 1 Mar to 2 Apr 2024 is 33 days (both dates
counted: 31 in March + 2), covered; 1 Mar to 3 Apr is 34 days, not. At 2000 mcg/mL the same
250 mcg/day is 0.125 mL/day: (20 − 2) / 0.125 = 144 days (under the 180-day stability limit).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.clinic._trip import FillSpan, trip_days, trip_reasons

STABLE = Path(__file__).parents[2] / "examples" / "stable_sci_three_refills.toml"
SYNCHROMED_20 = FillSpan(20.0, 2.0, 0.5, 180.0, 500.0)


def plan(*args: str) -> dict:
    result = CliRunner().invoke(app, ["refill", "plan", str(STABLE), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_full_fill_lasts_reservoir_less_alarm_volume_over_the_daily_volume():
    assert SYNCHROMED_20.days() == 36.0
    assert SYNCHROMED_20.days(2000.0) == 144.0
    assert SYNCHROMED_20.limited_by == "the low-reservoir alarm"


def test_a_fill_never_lasts_past_the_drugs_stability():
    slow = FillSpan(40.0, 2.0, 0.1, 180.0, 500.0)  # 380 days to the alarm
    assert slow.days() == 180.0 and slow.limited_by == "the drug's stability limit"


def test_trip_days_count_both_the_first_and_the_last_day():
    assert trip_days(date(2024, 3, 1), date(2024, 4, 2)) == 33
    assert trip_days(date(2024, 3, 1), date(2024, 3, 1)) == 1


def test_a_trip_one_fill_covers_with_the_margin_gets_no_warning():
    assert plan("--margin", "3 day", "--travel", "2024-03-01:2024-04-02")["fill_warnings"] == []


def test_a_trip_one_day_longer_than_one_fill_covers_is_warned_with_the_numbers():
    (reason,) = plan("--margin", "3 day", "--travel", "2024-03-01:2024-04-03")["fill_warnings"]
    assert (reason["rule"], reason["verdict"]) == ("trip_longer_than_fill", "warn")
    assert reason["source"] == "synchromed2:S23"
    text = reason["text"]
    assert "is 34 days" in text and "lasts 36 days" in text and "33 days with" in text
    assert "another ITB centre" in text and "at 2000 mcg/mL a fill lasts 144 days" in text


def test_the_plan_text_shows_the_trip_warning():
    result = CliRunner().invoke(
        app, ["refill", "plan", str(STABLE), "--travel", "2024-03-01:2024-04-03"]
    )
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    assert "[warn] the trip from Fri 01 Mar 2024 to Wed 03 Apr 2024 is 34 days" in shown
    assert "29 days with the clinic's 7-day margin" in shown  # the default margin


def test_the_schedule_warns_each_pump_the_trip_outlasts():
    result = CliRunner().invoke(
        app, ["refill", "schedule", str(STABLE), "--travel", "2024-03-01:2024-04-03", "--json"]
    )
    assert result.exit_code == 0, result.output
    (pump,) = json.loads(result.output)["pumps"]
    assert [r["rule"] for r in pump["fill_warnings"]] == ["trip_longer_than_fill"]


def test_each_trip_is_judged_on_its_own():
    trips = ((date(2024, 3, 1), date(2024, 3, 10)), (date(2024, 5, 1), date(2024, 6, 30)))
    (reason,) = trip_reasons(trips, SYNCHROMED_20, margin_days=7)
    assert "Wed 01 May 2024 to Sun 30 Jun 2024 is 61 days" in reason.text


def test_a_margin_as_long_as_a_full_fill_is_warned_as_a_margin_typed_wrong():
    (reason,) = plan("--margin", "36 day")["fill_warnings"]  # a full fill lasts 36 days
    assert (reason["rule"], reason["verdict"]) == ("margin_longer_than_fill", "warn")
    assert (
        "36-day margin is not shorter than a full fill lasts (36 days to the low-reservoir"
        in (reason["text"])
    )
    assert plan("--margin", "35 day")["fill_warnings"] == []


def test_a_margin_typed_in_weeks_is_warned_beside_the_refill_now_it_causes():
    result = CliRunner().invoke(app, ["refill", "plan", str(STABLE), "--margin", "7 week"])
    text = " ".join(result.output.split())
    assert "Refill now" in text and "the clinic's 49-day margin is not shorter" in text
