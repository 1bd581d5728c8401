"""The dry run of a recorded pump starts from its last fill, an empty pump too (issue 12 pt 2,
issue 14 pt 2), and `program set` reaches the verdict `check-program` does.

P009 (spinal, Europe/London) is implanted Tue 1 Sep 2026 10:00 BST with 20 mL of 500 mcg/mL at
250 mcg/day: 0.5 mL/day by the pump's arithmetic, so
- the 2 mL low-reservoir alarm sounds after (20 − 2) / 0.5 = 36 days, Wed 7 Oct 10:00 BST;
- it is empty after 20 / 0.5 = 40 days (960 h), Sun 11 Oct 10:00 BST;
- the drug's 180 days (4320 h) from the fill end Sun 28 Feb 2027 09:00 GMT (the clock went back
  on 25 Oct), whatever the day of the question or of the change;
- at Tue 20 Oct 09:00 it has been empty 8 days 23 h = 215 h (8.958 days without drug).
A 20 mL refill at the change (20 Oct 10:00 BST, 09:00 UTC) restarts the count: alarm 864 h later,
Wed 25 Nov 09:00 GMT; empty 960 h later, Sun 29 Nov 09:00 GMT; stability 4320 h later,
Sun 18 Apr 2027 10:00 BST.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

EMPTY_AT = '--at "2026-10-20 09:00"'
CHECK = 'check-program NGP009 --daily-dose "250 mcg/day" ' + EMPTY_AT
EVENTS = ("low_reservoir", "empty", "stability")


@pytest.fixture
def empty_pump(records):
    records.run('patient add P009 --birth-date 1975-02-03 --weight "80 kg" --origin spinal')
    records.run(
        "pump implant P009 --device synchromed2-20 --serial NGP009 --time-zone Europe/London "
        '--catheter 8709SC --catheter-length "50 cm" --fill "20 mL" --concentration "500 mcg/mL" '
        '--daily-dose "250 mcg/day" --at "2026-09-01 10:00"'
    )
    return records


def _check(records, command: str) -> tuple[int, dict]:
    result = records.invoke(command, "--json")
    return result.exit_code, json.loads(result.stdout)


def test_issue_12_an_empty_pumps_dry_run_starts_from_its_fill_and_shows_no_drug(empty_pump):
    code, out = _check(empty_pump, CHECK)
    assert code == 1 and out["verdict"] == "block"
    assert out["days_without_drug"] == pytest.approx(215 / 24, abs=1e-9)
    run = out["dry_run"]
    assert run["hours_since_fill"] == pytest.approx(49 * 24 - 1)  # 1 Sep 10:00 to 20 Oct 09:00
    dates = run["current_dates"]
    assert dates["low_reservoir_at"] == "2026-10-07T10:00:00+01:00"
    assert dates["empty_at"] == "2026-10-11T10:00:00+01:00"
    assert dates["stability_at"] == "2027-02-28T09:00:00+00:00"
    # the patient receives nothing under either program: withdrawal over the whole dry run
    assert all(r["current_csf_ng_ml"] < 1e-6 for r in run["rows"])
    for signals in (run["current_signals"], run["proposed_signals"]):
        assert signals["withdrawal_h"] == pytest.approx(73.0)
        assert signals["first_withdrawal_day"] == 0.0


def test_issue_12_a_refill_with_the_change_restarts_the_dates_from_the_refill(empty_pump):
    code, out = _check(empty_pump, CHECK + ' --refill-volume "20 mL"')
    assert code == 0 and out["verdict"] == "warn"
    assert {"reservoir_was_empty", "restart_dose"} <= {r["rule"] for r in out["reasons"]}
    run = out["dry_run"]
    later = run["proposed_dates"]
    assert later["low_reservoir_at"] == "2026-11-25T09:00:00+00:00"
    assert later["empty_at"] == "2026-11-29T09:00:00+00:00"
    assert later["stability_at"] == "2027-04-18T10:00:00+01:00"
    assert run["current_dates"]["stability_at"] == "2027-02-28T09:00:00+00:00"
    day = next(r for r in run["rows"] if r["time_h"] == 24.0)
    assert day["current_csf_ng_ml"] < 1e-6 < day["proposed_csf_ng_ml"]
    assert run["proposed_signals"]["withdrawal_h"] < run["current_signals"]["withdrawal_h"]


def test_issue_12_the_empty_pumps_page_says_since_when_and_dates_from_the_fill(empty_pump):
    text = empty_pump.invoke(CHECK).stdout
    # 8.96 days, one decimal (h41)
    assert "empty since Sun 11 Oct 2026 10:00: 9 days without drug so far" in " ".join(text.split())
    assert "Sun 28 Feb 2027 09:00 GMT" in text and "no dry run" not in text


@pytest.mark.parametrize("at", ["2026-09-20 09:00", "2026-10-09 18:30", "2026-10-20 09:00"])
def test_the_dry_runs_current_dates_are_the_schedules_and_the_refill_plans(empty_pump, at):
    _, out = _check(empty_pump, f'check-program NGP009 --daily-dose "250 mcg/day" --at "{at}"')
    [row] = empty_pump.data(f'schedule --as-of "{at}"')["pumps"]
    plan = empty_pump.data(f'refill plan NGP009 --as-of "{at}"')
    for name in EVENTS:
        key = f"{name}_at"
        assert out["dry_run"]["current_dates"][key] == row["dates"][key] == plan["dates"][key]


_serials = itertools.count()


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fill_ml=st.integers(4, 20),
    dose=st.sampled_from([100, 150, 250, 400]),
    fill_day=st.integers(0, 200),
    asked_after_h=st.integers(1, 24 * 60),
)
def test_issue_12_dry_run_dates_count_from_the_fill_on_random_pumps(
    records, fill_day, fill_ml, dose, asked_after_h
):
    """500 mcg/mL at `dose` mcg/day is dose/500 mL/day: low alarm at (V − 2)/rate days, empty
    at V/rate days and stability at 180 days, all from the implant fill, on the pump's clock."""
    n = next(_serials)
    london = ZoneInfo("Europe/London")
    fill = datetime(2026, 1, 5, 10, 0) + timedelta(days=fill_day)
    asked = fill + timedelta(hours=asked_after_h)
    # a wall-clock time the clocks skip or repeat is refused (issue 17); not this test's case
    assume(
        asked.replace(tzinfo=london).utcoffset() == asked.replace(tzinfo=london, fold=1).utcoffset()
    )
    records.run(f'patient add Q{n} --birth-date 1970-01-01 --weight "70 kg" --origin spinal')
    records.run(
        f"pump implant Q{n} --device synchromed2-20 --serial S{n} --time-zone Europe/London "
        f'--catheter 8709SC --catheter-length "50 cm" --fill "{fill_ml} mL" '
        f'--concentration "500 mcg/mL" --daily-dose "{dose} mcg/day" --at "{fill:%Y-%m-%d %H:%M}"'
    )
    at = f'"{asked:%Y-%m-%d %H:%M}"'
    _, out = _check(records, f'check-program S{n} --daily-dose "{dose} mcg/day" --at {at}')
    plan = records.data(f"refill plan S{n} --as-of {at}")
    start = fill.replace(tzinfo=london).astimezone(ZoneInfo("UTC"))
    rate = dose / 500
    expected = {"low_reservoir": (fill_ml - 2) / rate * 24, "empty": fill_ml / rate * 24}
    expected["stability"] = 180 * 24.0
    dates = out["dry_run"]["current_dates"]
    for name, hours in expected.items():
        moment = datetime.fromisoformat(dates[f"{name}_at"])
        assert abs((moment - start).total_seconds() / 3600 - hours) < 1 / 60, name
        assert dates[f"{name}_at"] == plan["dates"][f"{name}_at"]
    elapsed_h = (asked.replace(tzinfo=london) - start).total_seconds() / 3600  # UTC hours
    if elapsed_h > expected["empty"]:
        assert out["days_without_drug"] == pytest.approx(
            (elapsed_h - expected["empty"]) / 24, abs=1e-9
        )
        assert out["dry_run"]["current_signals"]["withdrawal_h"] == pytest.approx(73.0)
    else:
        assert out["days_without_drug"] is None


def test_issue_12_a_proposals_dates_run_from_the_fill_through_the_change(clinic):
    """NGP001 (clinic fixture): 20 mL at 0.5 mL/day from Mon 2 Nov 10:00 GMT; 250 → 275 mcg/day
    takes effect 1 h after Fri 20 Nov 09:00, at 432 h, with 20 − 0.5 × 18 = 11 mL left; at
    0.55 mL/day it is empty 11 / 0.55 = 20 days later (912 h, Thu 10 Dec 10:00) and at the 2 mL
    alarm 9 / 0.55 = 16.36 days later (824.73 h, Sun 6 Dec 18:43:38); stability stays the fill's."""
    out = clinic.data('check-program NGP001 --daily-dose "275 mcg/day" --at "2026-11-20 09:00"')
    later = out["dry_run"]["proposed_dates"]
    assert later["empty_h"] == pytest.approx(432 + 11 / 0.55 * 24, abs=1e-9)
    assert later["low_reservoir_h"] == pytest.approx(432 + 9 / 0.55 * 24, abs=1e-9)
    assert later["empty_at"] == "2026-12-10T10:00:00+00:00"
    assert later["low_reservoir_at"].startswith("2026-12-06T18:43:38")
    assert later["stability_at"] == "2027-05-01T11:00:00+01:00"
