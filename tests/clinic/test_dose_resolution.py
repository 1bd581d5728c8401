"""Issue 14, point 6: doses in the numbers a clinician programs (the pump's resolution, 0.01
mcg/day by default, from memory, verify), used by titration, forecast steps and reductions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from itbtwin.clinic import ProgramChange, Verdict, check_program, titration_plan
from itbtwin.clinic._titration import side_effect_reduction
from itbtwin.pump import (
    DOSE_RESOLUTION_MCG_PER_DAY,
    Program,
    device_values,
    find_device,
    programmable_dose,
)


def test_issue_14_titration_plan_shows_115_and_132_25_not_114_99_and_132_23() -> None:
    plan = titration_plan(100, 200, origin="cerebral", age_years=40)  # +15% steps
    # 100 × 1.15 = 115 exactly; 115 × 1.15 = 132.25; 132.25 × 1.15 = 152.0875 → 152.08 (down)
    assert [s.daily_mcg for s in plan[:4]] == [100, 115, 132.25, 152.08]


def test_a_coarser_pump_resolution_rounds_the_plan_down_to_its_steps() -> None:
    plan = titration_plan(100, 200, origin="cerebral", age_years=40, resolution_mcg_per_day=0.5)
    # 132.25 → 132; 132 × 1.15 = 151.8 → 151.5
    assert [s.daily_mcg for s in plan[:4]] == [100, 115, 132, 151.5]


def test_side_effect_reduction_gives_programmable_doses() -> None:
    assert side_effect_reduction(333.33) == (299.99, 266.66)  # −10%, −20%, rounded down


def test_catalogue_pumps_state_their_resolution_as_unverified() -> None:
    device = find_device("synchromed2-20")
    assert device.dose_resolution_mcg_per_day == DOSE_RESOLUTION_MCG_PER_DAY == 0.01
    assert "dose_resolution_mcg_per_day" in device.unverified()
    assert device_values({"dose_resolution": "0.1 mcg/day"}) == {"dose_resolution_mcg_per_day": 0.1}


@given(
    st.floats(min_value=0.5, max_value=3000, allow_nan=False),
    st.sampled_from([0.01, 0.1, 0.25, 1.0]),
)
def test_a_programmable_dose_is_a_whole_number_of_steps_never_above_the_dose(dose, step) -> None:
    down = programmable_dose(dose, step)
    assert down <= dose + 1e-6 * step
    assert dose - down < step * (1 + 1e-6)
    assert abs(down / step - round(down / step)) < 1e-6
    assert abs(programmable_dose(dose, step, down=False) - dose) <= step / 2 + 1e-6 * step


def _check(proposed: float):
    device = find_device("synchromed2-20")
    change = ProgramChange(
        Program.continuous(115, 500), Program.continuous(proposed, 500), 500, device
    )
    return check_program(change)


def test_issue_14_check_program_warns_a_dose_the_pump_cannot_take() -> None:
    found = [r for r in _check(114.999).reasons if r.rule == "dose_resolution"]
    assert [r.verdict for r in found] == [Verdict.WARN]
    assert "entered as 115 mcg/day" in found[0].text
    assert "dose_resolution" not in _check(132.25).rules
