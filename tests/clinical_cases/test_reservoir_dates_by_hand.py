"""Reservoir dates of `itbtwin refill plan` against hand arithmetic: flex steps across the end of
daylight saving, periodic boluses, and units at the edge (mg, mg/mL, mg/day).

Each scenario starts now (hour 0) with a SynchroMed II 20 mL, a 2 mL low-reservoir alarm
(synchromed2:S25) and the pump's own arithmetic (ideal accuracy): volume rate = dose rate ÷
concentration.
"""

from __future__ import annotations

import json

import pytest

HEAD = """
[scenario]
name = "hand case"
start = {start}
time_zone = "Europe/London"
duration = "50 day"

[patient]
weight = "75 kg"
age = "42 year"
origin = "spinal"

[pump]
device = "synchromed2-20"

[catheter]
model = "8709SC"
length_cm = 50

[reservoir]
volume = "{volume}"
concentration = "{concentration}"
"""

FLEX = """
[[program]]
at = "0 h"
mode = "flex"
[[program.step]]
start = "00:00"
duration = "8 h"
rate = "200 mcg/day"
[[program.step]]
start = "08:00"
duration = "12 h"
rate = "300 mcg/day"
[[program.step]]
start = "20:00"
duration = "4 h"
rate = "200 mcg/day"
"""

PERIODIC = """
[[program]]
at = "0 h"
mode = "periodic"
daily_dose = "200 mcg/day"
[[program.bolus]]
at = "08:00"
dose = "25 mcg"
duration = "1 h"
[[program.bolus]]
at = "20:00"
dose = "25 mcg"
duration = "1 h"
"""

CONTINUOUS = """
[[program]]
at = "0 h"
mode = "continuous"
daily_dose = "{dose}"
"""


def _dates(cli, tmp_path, text: str) -> dict:
    path = tmp_path / "case.toml"
    path.write_text(text)
    result = cli("refill", "plan", str(path), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["dates"]


def test_flex_steps_across_the_end_of_daylight_saving(cli, tmp_path):
    """200/300/200 mcg/day (00-08, 08-20, 20-24 h) is 250 mcg/day, 0.5 mL/day a local day.
    From Thu 1 Oct 2026 09:00 BST, 36 local days use 18 mL, but 25 Oct has a 25th hour (01:00
    twice) at 200 mcg/day: 200 / 24 / 500 = 0.016667 mL more. At 09:00 the 300 mcg/day step
    runs 0.025 mL/h, so the 2 mL level is crossed 0.016667 / 0.025 = 40 min earlier: Fri 6 Nov
    08:20 GMT; empty (20 mL) 4 days later, Tue 10 Nov 08:20 GMT."""
    start = "2026-10-01T09:00:00"
    dates = _dates(
        cli, tmp_path, HEAD.format(start=start, volume="20 mL", concentration="500 mcg/mL") + FLEX
    )
    assert dates["low_reservoir_at"] == "2026-11-06T08:20:00+00:00"
    assert dates["empty_at"] == "2026-11-10T08:20:00+00:00"


def test_periodic_boluses_set_the_hour_of_the_alarm(cli, tmp_path):
    """Basal 200 mcg/day (0.4 mL/day) + 25 mcg (0.05 mL) over 1 h at 08:00 and 20:00: 0.5 mL a
    day. 18.9 mL from Tue 1 Dec 2026 12:00 GMT: the alarm needs 16.9 mL = 33 days (16.5 mL, to
    Sun 3 Jan 12:00) + 0.4 mL: basal to 20:00 0.1333, the 20:00 bolus hour 0.0667, basal 21:00
    to 08:00 0.1833 (0.3833), then 0.0167 mL at 0.0667 mL/h = 15 min: Mon 4 Jan 2027 08:15.
    A continuous 0.5 mL/day would say 33.8 days, 07:12."""
    start = "2026-12-01T12:00:00"
    dates = _dates(
        cli,
        tmp_path,
        HEAD.format(start=start, volume="18.9 mL", concentration="500 mcg/mL") + PERIODIC,
    )
    assert dates["low_reservoir_at"] == "2027-01-04T08:15:00+00:00"
    assert dates["empty_at"] == "2027-01-08T08:15:00+00:00"


@pytest.mark.parametrize(
    ("concentration", "dose", "ml_per_day", "low_days"),
    [
        ("0.05 mg/mL", "50 mcg/day", 1.0, 18.0),  # (20 - 2) / 1
        ("500 mcg/mL", "0.25 mg/day", 0.5, 36.0),  # (20 - 2) / 0.5
        ("2 mg/mL", "600 mcg/day", 0.3, 60.0),  # (20 - 2) / 0.3
    ],
)
def test_daily_dose_and_concentration_in_any_unit_give_ml_per_day_and_days_to_the_alarm(
    cli, tmp_path, concentration, dose, ml_per_day, low_days
):
    text = HEAD.format(start="2026-12-01T12:00:00", volume="20 mL", concentration=concentration)
    dates = _dates(cli, tmp_path, text + CONTINUOUS.format(dose=dose))
    assert dates["mean_ml_per_day"] == pytest.approx(ml_per_day)
    assert dates["low_reservoir_h"] == pytest.approx(low_days * 24)
