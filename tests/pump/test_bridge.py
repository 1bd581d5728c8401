"""Issue 14, point 1: a bridge bolus keeps the old solution at the old dose rate until the new
solution reaches the tip; duration = (pump + catheter volume) ÷ old volume rate.

Hand-computed: SynchroMed II (0.2 mL internal, unverified) + 50 cm of 8709SC (0.0022 mL/cm) =
0.31 mL of old solution in the path.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from itbtwin.errors import ProgramError
from itbtwin.pump import Bolus, Fill, Program, Refill, bridge_plan, deliver, find_device

from .conftest import DAY, therapy

PATH_ML = 0.2 + 50 * 0.0022
AT = 30 * DAY


def _change(old_c: float, new_c: float, dose: float, bridge: bool):
    plan = therapy(
        days=36,
        fill_ml=20.0,
        concentration=old_c,
        programs=((0.0, Program.continuous(dose, old_c)), (AT, Program.continuous(dose, new_c))),
        refills=(Refill(AT, Fill(20, new_c)),),
    )
    if bridge:
        bolus = Bolus(AT, "bridge", plan.bridge_plan(AT).duration_h)
        plan = dataclasses.replace(plan, boluses=(bolus,))
    return plan


def test_issue_14_bridge_lasts_path_volume_over_the_old_volume_rate() -> None:
    old = Program.continuous(100, 500)  # 0.2 mL/day
    plan = bridge_plan(find_device("synchromed2-20"), 50 * 0.0022, old)
    assert plan.volume_ml == pytest.approx(PATH_ML)
    assert plan.ml_per_day == pytest.approx(0.2)
    assert plan.duration_h == pytest.approx(PATH_ML / 0.2 * 24)  # 1.55 days = 37.2 h
    assert plan.duration_h == pytest.approx(37.2)
    assert "0.2 mL/day" in plan.describe() and "37.2 h" in plan.describe()


def test_bridge_needs_an_old_program_that_delivers() -> None:
    class Stopped(Program):
        def daily_volume_ml(self, weekday: int = 0) -> float:
            return 0.0

    stopped = Stopped("continuous", 500.0, Program.continuous(100, 500).steps)
    with pytest.raises(ProgramError, match="0 mL/day"):
        bridge_plan(find_device("synchromed2-20"), 0.11, stopped)


@pytest.mark.parametrize(("old_c", "new_c"), [(500.0, 2000.0), (2000.0, 500.0)])
def test_issue_14_with_a_bridge_the_tip_gets_the_old_dose_rate_throughout(old_c, new_c) -> None:
    delivery = deliver(_change(old_c, new_c, 250.0, bridge=True))
    old_ml_per_day = 250 / old_c
    arrival = delivery.events_of("tip_concentration")[0].time_h
    assert arrival - AT == pytest.approx(PATH_ML / old_ml_per_day * 24, rel=1e-12)
    span = np.arange(AT - 24, 36 * DAY, 0.5)
    given = np.diff(delivery.cumulative_mcg(span)) / 0.5 * 24
    assert given == pytest.approx(250.0, rel=1e-9)  # mcg/day at the tip, before, during, after
    # the pump meters the old volume rate during the bridge, then the new one
    mid = AT + (arrival - AT) / 2
    slope = -delivery.reservoir_slope_ml_per_h[np.searchsorted(delivery.breakpoints_h, mid) - 1]
    assert slope * 24 == pytest.approx(old_ml_per_day)


def test_issue_14_an_omitted_bridge_states_the_dose_error() -> None:
    delivery = deliver(_change(500.0, 2000.0, 250.0, bridge=False))
    detail = delivery.events_of("no_bridge_bolus")[0].detail
    # 0.31 mL of 500 mcg/mL at the new 0.125 mL/day: 62.5 mcg/day, a quarter dose, for 2.48 days
    assert "62.5 mcg/day instead of 250 mcg/day" in detail
    assert "0.25× the dose" in detail and "2.5 days" in detail  # 2.48 days, one decimal
    up = deliver(_change(2000.0, 500.0, 250.0, bridge=False))
    # 0.31 mL of 2000 mcg/mL at the new 0.5 mL/day: 1000 mcg/day, 4× the dose, for 14.9 h
    assert "1000 mcg/day instead of 250 mcg/day" in up.events_of("no_bridge_bolus")[0].detail
