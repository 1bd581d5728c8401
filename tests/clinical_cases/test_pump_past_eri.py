"""A pump whose ERI is already past at the fill: the plan shows it, it does not crash (found by
the hand-computed cases: a date before the fill had no pump-clock zone, a ValueError traceback).

Hand calculation. SynchroMed II 40 mL, 2500 days old at the fill on Tue 1 Dec 2026 09:00 EST
(14:00 UTC), America/New_York; end of service at 7 years = 2556.75 days of age
(synchromed2:S26; the 7 years are from memory, verify), i.e. 56.75 days after the fill: Wed 27
Jan 2027 08:00 UTC = 03:00 EST; ERI 90 days before it, Thu 29 Oct 2026 08:00 UTC = 04:00 EDT
(daylight saving ended on 1 Nov), 33.25 days before the fill. 40 mL of 2 mg/mL at 0.6 mg/day is
0.3 mL/day: the 2 mL alarm would come after (40 - 2) / 0.3 = 126.7 days, after end of service.
"""

from __future__ import annotations

import json

import pytest

SCENARIO = """
[scenario]
name = "near end of service"
start = 2026-12-01T09:00:00
time_zone = "America/New_York"
duration = "10 day"

[patient]
weight = "70 kg"
age = "50 year"
origin = "spinal"

[pump]
device = "synchromed2-40"
age_at_start = "2500 day"

[catheter]
model = "8709SC"
length_cm = 50

[reservoir]
volume = "40 mL"
concentration = "2 mg/mL"

[[program]]
at = "0 h"
mode = "continuous"
daily_dose = "0.6 mg/day"
"""


@pytest.fixture
def old_pump(tmp_path):
    path = tmp_path / "old_pump.toml"
    path.write_text(SCENARIO)
    return str(path)


def test_an_eri_before_the_fill_is_dated_in_the_past_on_the_pump_clock(cli, old_pump):
    result = cli("refill", "plan", old_pump, "--json")
    assert result.exit_code == 0, result.output
    dates = json.loads(result.stdout)["dates"]
    assert dates["mean_ml_per_day"] == pytest.approx(0.3)
    assert dates["eri_h"] == pytest.approx(-33.25 * 24)
    assert dates["eri_at"] == "2026-10-29T04:00:00-04:00"
    assert dates["eos_at"] == "2027-01-27T03:00:00-05:00"
    assert dates["low_reservoir_at"] is None and dates["empty_at"] is None


def test_alarms_after_end_of_service_read_so_and_the_eri_reads_days_ago(cli, old_pump):
    table = cli("refill", "plan", old_pump).stdout
    assert "Thu 29 Oct 2026 04:00 EDT │ 33.3 days ago" in table  # 33.25 days, half up (h41)
    assert table.count("after end of service") == 2
    risk = json.loads(cli("risk", old_pump, "--json").stdout)["patients"][0]
    assert [r["rule"] for r in risk["reasons"]] == ["eri_reached"]
