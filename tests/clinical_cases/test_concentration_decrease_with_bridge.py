"""Refill planning after a concentration *decrease* with a bridge bolus, on a 40 mL pump with a
longer catheter (h30 §3c; `test_concentration_change_with_bridge.py` covers 500 → 2000 mcg/mL
on a 20 mL pump): the pump's dates read after the refill count the bridge at the old rate, and
the dose at the tip stays the prescription through the change [saulino2016-dosing: a bridge
bolus must be programmed when the concentration changes; docs/pump.md "Bridge bolus"].

Hand calculation. NGP060 (SynchroMed II 40 mL, Ascenda catheter 70 cm) runs 600 mcg/day of
2000 mcg/mL: 0.3 mL/day. Implanted with 40 mL Mon 2 Nov 2026 10:00 GMT; refilled Mon 30 Nov
10:00 (28 days: 40 - 28 x 0.3 = 31.6 mL left, withdrawn as expected) with 40 mL of 1000 mcg/mL;
version 2 at 10:05: 600 mcg/day told 1000 mcg/mL (0.6 mL/day) with a bridge bolus. The old
solution in the pump (0.2 mL) and catheter (70 cm x 0.0022 mL/cm = 0.154 mL) is 0.354 mL, run at
the old 0.3 mL/day: 0.354 / 0.3 = 1.18 days = 28.32 h from the refill. Then 0.6 mL/day:
- low-reservoir alarm (2 mL): 28.32 h + (40 - 2 - 0.354) / 0.6 days = 28.32 + 1505.84
  = 1534.16 h = 63 days 22 h 9.6 min after the refill: Tue 2 Feb 2027 08:09:36 GMT;
- empty: 28.32 h + (40 - 0.354) / 0.6 days = 28.32 + 1585.84 = 1614.16 h: Fri 5 Feb 2027
  16:09:36 GMT;
- left at Tue 1 Dec 09:00 (23 h, inside the bridge): 40 - 0.3 x 23 / 24 = 39.7125 mL.
- at the tip: 0.3 mL/day x 2000 = 600 mcg/day during the bridge, 0.6 x 1000 = 600 after it.
Without the bridge the old 0.354 mL would run at the new 0.6 mL/day: 1200 mcg/day for 14.16 h.

Found by this case: a history starting at the refill (the pump's dates, the dry run) filled the
pump's tubing and catheter with the *new* solution, so its bridge delivered 0.3 x 1000 =
300 mcg/day, half the dose (and a 500 → 2000 change 4x the dose for 14.88 h); the full history
gave 600. The path now holds the old solution the bridge pushes out (`pump._state`). And with
the new version entered at the refill's own time (as the demo and a refill-and-program visit do)
the history's bridge ran the *new* program, 0.354 mL at 0.6 mL/day, as if there were no bridge:
alarm at (40 - 2) / 0.6 days = 1520 h, 14.16 h before the pump's (and for the 500 → 2000 case of
`test_concentration_change_with_bridge`, 3456 h, 1.86 days after it); the old program now
travels with the history (`[reservoir] bridge_from`, `store._replay`).
Both entry times give the same dates: the 5 minutes lie inside the bridge, at the old rate.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from itbtwin import store
from itbtwin.pump import deliver

AS_OF = "--as-of '2026-12-01 09:00'"


@pytest.fixture(params=["10:05", "10:00"], ids=["version_after_the_refill", "with_the_refill"])
def lowered(records, request):
    records.run("patient add P060 --birth-date 1970-01-01 --weight '80 kg' --origin spinal")
    records.run(
        "pump implant P060 --device synchromed2-40 --serial NGP060 --time-zone Europe/London "
        "--catheter ascenda --catheter-length '70 cm' --fill '40 mL' --concentration "
        "'2000 mcg/mL' --daily-dose '600 mcg/day' --at '2026-11-02 10:00'"
    )
    records.run(
        "refill record NGP060 --withdrawn '31.6 mL' --expected '31.6 mL' --injected '40 mL' "
        "--concentration '1000 mcg/mL' --at '2026-11-30 10:00'"
    )
    records.run(
        "program set NGP060 --daily-dose '600 mcg/day' --concentration '1000 mcg/mL' --bridge "
        f"--at '2026-11-30 {request.param}' --reason '1000 mcg/mL: a lower concentration'"
    )
    return records


def test_the_new_alarm_and_empty_dates_count_the_bridge_at_the_old_rate(lowered):
    dates = lowered.data(f"refill plan NGP060 {AS_OF}")["dates"]
    assert dates["left_ml"] == pytest.approx(39.7125, abs=1e-9)
    assert dates["low_reservoir_h"] == pytest.approx(1534.16, abs=1e-6)  # from the refill
    assert dates["low_reservoir_at"] == "2027-02-02T08:09:36+00:00"
    assert dates["empty_at"] == "2027-02-05T16:09:36+00:00"


def test_the_dose_at_the_tip_stays_600_mcg_a_day_through_the_change(lowered):
    engine = store.open_engine(lowered.url)
    try:
        with store.transaction(engine) as session:
            pump = store.find_pump(session, "NGP060")
            refill = pump.refills[-1].performed_at
            scenario = store.history_scenario(pump, since=refill, until=refill + timedelta(days=5))
    finally:
        engine.dispose()
    delivery = deliver(scenario.therapy)
    hours = np.array([6.0, 24.0, 28.0, 29.0, 48.0, 96.0])  # before and after the bridge's 28.32 h
    per_day = (
        np.diff(delivery.cumulative_mcg(np.concatenate(([0.0], hours))))
        / np.diff(np.concatenate(([0.0], hours)))
        * 24
    )
    assert per_day == pytest.approx(600.0, rel=1e-9)
    reservoir = delivery.reservoir_at(np.array([28.32, 52.32]))
    assert reservoir == pytest.approx([40 - 0.354, 40 - 0.354 - 0.6], abs=1e-9)
