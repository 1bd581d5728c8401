"""A refill that changes 500 → 2000 mcg/mL, with the bridge bolus recorded with the program: the
pump's dates read after that refill count the bridge's volume (found by the hand-computed cases:
a history starting at that refill dropped the bridge, so every date was 1.86 days late).

Hand calculation. NGP010 (SynchroMed II 20 mL, 8709SC 50 cm) runs 250 mcg/day of 500 mcg/mL
(0.5 mL/day). Refilled Mon 30 Nov 2026 10:00 GMT with 20 mL of 2000 mcg/mL; version 2 at 10:05:
250 mcg/day told 2000 mcg/mL (0.125 mL/day) with a bridge bolus. The bridge pushes the old
solution in the pump (0.2 mL) and catheter (50 cm x 0.0022 mL/cm = 0.11 mL): 0.31 mL at the old
0.5 mL/day, 0.31 / 0.5 x 24 = 14.88 h, replayed from the refill. Then 0.125 mL/day:
- low-reservoir alarm (2 mL): 14.88 h + (20 - 2 - 0.31) / 0.125 days = 14.88 + 3396.48
  = 3411.36 h after the refill: Wed 21 Apr 2027 14:21:36 BST;
- empty: 14.88 h + (20 - 0.31) / 0.125 days = 3795.36 h: Fri 7 May 2027 14:21:36 BST;
- left at Tue 1 Dec 09:00 (23 h): 20 - 0.31 - 0.125 x (23 - 14.88) / 24 = 19.6477 mL.
Without the bridge (the old answer) the alarm was 18 / 0.125 = 144 days less the 5 minutes at
0.5 mL/day: Fri 23 Apr 2027 10:45 BST, 1.86 days later than the pump will sound it.
"""

from __future__ import annotations

import pytest

from clinical_cases.conftest import implanted

AS_OF = '--as-of "2026-12-01 09:00"'


@pytest.fixture
def bridged(records):
    implanted(records, "P010", "NGP010")
    records.run(
        'refill record NGP010 --withdrawn "6 mL" --expected "6 mL" --injected "20 mL" '
        '--concentration "2000 mcg/mL" --at "2026-11-30 10:00"'
    )
    records.run(
        'program set NGP010 --daily-dose "250 mcg/day" --concentration "2000 mcg/mL" --bridge '
        '--at "2026-11-30 10:05" --reason "2000 mcg/mL for a longer refill interval"'
    )
    return records


def test_dates_after_a_concentration_change_count_the_recorded_bridge_bolus(bridged):
    dates = bridged.data(f"refill plan NGP010 {AS_OF}")["dates"]
    assert dates["low_reservoir_h"] == pytest.approx(3411.36, abs=1e-6)
    assert dates["low_reservoir_at"] == "2027-04-21T14:21:36+01:00"
    assert dates["empty_h"] == pytest.approx(3795.36, abs=1e-6)
    assert dates["left_ml"] == pytest.approx(19.6477083, abs=1e-6)


def test_the_schedule_and_the_plan_agree_on_the_bridged_pump(bridged):
    plan = bridged.data(f"refill plan NGP010 {AS_OF}")["dates"]
    risk = bridged.data(f"risk NGP010 {AS_OF}")["patients"][0]
    assert risk["days_left"] == pytest.approx((plan["empty_h"] - 23.0) / 24, abs=1e-3)
