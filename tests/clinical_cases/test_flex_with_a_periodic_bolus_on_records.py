"""A stored flex program (two rates a day) with a morning periodic bolus: the reservoir dates of
`itbtwin refill plan SERIAL` (the pump's own arithmetic, a 2 mL low-reservoir alarm,
synchromed2:S25) against a hand calculation (h30 §3a). Before h30 a flex program could not carry a
clock bolus at all (`[[program.bolus]]` was read only in periodic mode), although a morning bolus
on a flex schedule is what the ISMP case was programming (synchromed2:S45).

Hand calculation. P040, SynchroMed II 20 mL, implanted Mon 2 Nov 2026 10:00 GMT with 19.25 mL of
500 mcg/mL. The flex program: 150 mcg/day 00:00-08:00 and 300 mcg/day 08:00-24:00, and 50 mcg
over 1 h at 07:00. Volume rates (dose ÷ 500 mcg/mL): 0.3 mL/day = 0.0125 mL/h at night,
0.6 mL/day = 0.025 mL/h by day, the bolus 50 / 500 = 0.1 mL in 1 h on top of the night rate
(0.1125 mL/h from 07:00 to 08:00). A day: 150 x 8/24 + 300 x 16/24 + 50 = 50 + 200 + 50 =
300 mcg = 0.6 mL.
- 28 days (to Mon 30 Nov 10:00) use 16.8 mL: 2.45 mL left. The alarm needs 0.45 mL more: 10:00 to
  24:00 uses 14 x 0.025 = 0.35 (2.10 left), 00:00 to 07:00 uses 7 x 0.0125 = 0.0875 (2.0125
  left), then 0.0125 mL at 0.1125 mL/h = 1/9 h = 6 min 40 s: Tue 1 Dec 2026 07:06:40 GMT,
  28 days 21 h 6 min 40 s = 693.111 h after the implant.
- Empty: 32 days (to Fri 4 Dec 10:00) use 19.2 mL, the last 0.05 mL at 0.025 mL/h take 2 h:
  Fri 4 Dec 2026 12:00 GMT, 32 x 24 + 2 = 770 h after the implant.
A continuous 300 mcg/day (0.025 mL/h all day) would put the alarm at 17.25 / 0.6 = 28.75 days,
Mon 30 Nov 2026 04:00: the bolus and the night rate move it by 3 h 6 min 40 s.
"""

from __future__ import annotations

import pytest

PROGRAM = """
[program]
mode = "flex"
[[program.step]]
start = "00:00"
duration = "8 h"
rate = "150 mcg/day"
[[program.step]]
start = "08:00"
duration = "16 h"
rate = "300 mcg/day"
[[program.bolus]]
at = "07:00"
dose = "50 mcg"
duration = "1 h"
"""


@pytest.fixture
def flex_pump(records, tmp_path):
    path = tmp_path / "flex.toml"
    path.write_text(PROGRAM)
    records.run("patient add P040 --birth-date 1970-01-01 --weight '80 kg' --origin spinal")
    records.run(
        "pump implant P040 --device synchromed2-20 --serial NGP040 --time-zone Europe/London "
        "--catheter 8709SC --catheter-length '50 cm' --fill '19.25 mL' --concentration "
        f"'500 mcg/mL' --program {path} --at '2026-11-02 10:00'"
    )
    return records


def test_a_flex_program_with_a_morning_bolus_is_stored_with_its_daily_dose(flex_pump):
    [version] = flex_pump.data("pump show NGP040")["programs"]
    assert version["mean_daily_dose_mcg"] == pytest.approx(300.0, abs=1e-9)
    assert version["document"]["bolus"] == [
        {"at": "07:00", "dose": "50.0 mcg", "duration": "1.0 h"}
    ]
    assert [step["rate"] for step in version["document"]["step"]] == [
        "150.0 mcg/day",
        "300.0 mcg/day",
    ]


def test_the_alarm_falls_in_the_bolus_hour_and_empty_at_noon(flex_pump):
    """Left at Fri 20 Nov 09:00 (431 h): 17 days to Thu 19 Nov 10:00 use 10.2 mL (9.05 left),
    10:00-24:00 0.35, 00:00-07:00 0.0875, the bolus hour 0.1125, 08:00-09:00 0.025: 8.475 mL."""
    dates = flex_pump.data("refill plan NGP040 --as-of '2026-11-20 09:00'")["dates"]
    assert dates["mean_ml_per_day"] == pytest.approx(0.6, abs=1e-12)
    assert dates["left_ml"] == pytest.approx(8.475, abs=1e-9)
    assert dates["low_reservoir_h"] == pytest.approx(693 + 1 / 9, abs=1e-9)
    assert dates["empty_h"] == pytest.approx(770.0, abs=1e-9)
    assert dates["low_reservoir_at"] == "2026-12-01T07:06:40+00:00"
    assert dates["empty_at"] == "2026-12-04T12:00:00+00:00"
