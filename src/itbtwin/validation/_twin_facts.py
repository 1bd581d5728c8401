"""Facts the whole twin must reproduce (pump, PK, response and tolerance together).

The 1991 overdose series saw overdose about 6 h after restarting 27 and 55 mcg/h following a drug
holiday (reference/pharmacology.md §1.9, §2): tolerance is lost during the holiday. In the twin a
patient maintained on 27 mcg/h stops receiving drug for 28 days (the series gives no holiday
length: an assumption; modelled as a complete catheter block, so nothing reaches the tip), their
tolerance fades with the 7-day time constant (`sim._twin_tolerance`), and the pump restarts at the
old rate. Unlike `overdose_restart_after_holiday` (a drug-naive patient, the calibration target of
the warning threshold), this row runs the scenario end to end.
"""

from __future__ import annotations

import math
from functools import cache

from itbtwin.sim import run_twin, typical_scenario
from itbtwin.validation._registry import Fact, register

HOLIDAY_START_H, HOLIDAY_END_H = 2 * 24.0, 30 * 24.0


@cache
def _restart() -> dict[str, float]:
    holiday = typical_scenario(
        "Restart at the old rate after a 28-day drug holiday",
        duration="31 day",
        concentration="2000 mcg/mL",
        # 27 mcg/h, the lower restart rate of the series
        program={"mode": "continuous", "daily_dose": "648 mcg/day"},
        output_step="0.1 h",
        faults=[{"kind": "occlusion", "at": "2 day", "until": "30 day"}],
    )
    outcome = run_twin(holiday)
    first = outcome.summary["first_overdose_day"]
    onset = math.inf if first is None else first * 24 - HOLIDAY_END_H
    return {"overdose_after_restart_h": onset, "level": outcome.summary["max_overdose_level"]}


register(
    [
        Fact(
            "twin_restart_overdose_after_holiday",
            "twin: hours from restarting 27 mcg/h after a 28-day holiday to the overdose signal",
            "overdose1991",
            "overdose about 6 h after restarting 27–55 mcg/h",
            4.0,
            8.0,
            "h",
            lambda: _restart()["overdose_after_restart_h"],
            "tolerance fades while no drug reaches the tip (τ 7 d, assumption); holiday length "
            "assumed",
        ),
    ]
)
