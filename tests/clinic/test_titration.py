"""Titration and maintenance rules (saulino2016-dosing, label), with their boundary cases."""

from __future__ import annotations

import itertools

import pytest

from itbtwin.clinic import (
    Verdict,
    check_step,
    side_effect_reduction,
    starting_dose,
    step_limits,
    titration_plan,
)
from itbtwin.drug import STEP_LIMITS
from itbtwin.errors import RegimenError


def test_start_at_twice_the_effective_bolus() -> None:
    # pharmacology.md §9.9: responder to 50 mcg with a 6 h effect → 100 mcg/day.
    assert starting_dose(50, 6).daily_mcg == 100


def test_start_at_the_bolus_when_the_effect_lasted_more_than_8_h() -> None:
    # §9.9: 10 h effect → 50 mcg/day.
    assert starting_dose(50, 10).daily_mcg == 50


def test_an_effect_of_exactly_8_h_is_not_more_than_8_h() -> None:
    assert starting_dose(50, 8).daily_mcg == 100


def test_adverse_reactions_start_at_the_bolus() -> None:
    assert starting_dose(75, 5, adverse_reaction=True).daily_mcg == 75


@pytest.mark.parametrize(
    ("origin", "age", "limits"),
    [("spinal", 40, (10, 30)), ("cerebral", 40, (5, 15)), ("spinal", 8, (5, 15))],
)
def test_step_limits_by_origin_and_age(origin: str, age: float, limits: tuple) -> None:
    assert step_limits(origin, age) == limits


def test_exactly_30_percent_is_allowed_for_spinal_origin_and_more_is_blocked() -> None:
    assert check_step(300, 390, origin="spinal", age_years=40).verdict is Verdict.PASS
    blocked = check_step(300, 390.5, origin="spinal", age_years=40)
    assert blocked.verdict is Verdict.BLOCK and "10-30%" in blocked.reasons[0].text


def test_exactly_15_percent_is_allowed_for_cerebral_origin() -> None:
    assert check_step(200, 230, origin="cerebral", age_years=30).verdict is Verdict.PASS
    assert check_step(200, 231, origin="cerebral", age_years=30).verdict is Verdict.BLOCK


def test_a_rise_within_24_h_of_the_last_is_blocked_and_at_24_h_allowed() -> None:
    soon = check_step(300, 330, origin="spinal", age_years=40, hours_since_last_change=23)
    assert soon.verdict is Verdict.BLOCK
    ok = check_step(300, 330, origin="spinal", age_years=40, hours_since_last_change=24)
    assert ok.verdict is Verdict.PASS


def test_more_than_20_percent_at_a_high_dose_is_a_warning() -> None:
    check = check_step(900, 1125, origin="spinal", age_years=40)
    assert check.verdict is Verdict.WARN
    assert any(r.rule == "high_dose_step" for r in check.reasons)


def test_doses_outside_the_observed_range_are_flagged_with_the_range() -> None:
    check = check_step(1800, 2100, origin="spinal", age_years=40, phase="maintenance")
    assert any(
        r.rule == "dose_outside_observed_range" and "12-2003" in r.text for r in check.reasons
    )


def test_maintenance_allows_up_to_40_percent_for_spinal_origin() -> None:
    assert (
        check_step(300, 420, origin="spinal", age_years=40, phase="maintenance").verdict
        is Verdict.PASS
    )
    # the label's 10-40% is "(from memory, verify)" in the reference: a default with its source
    assert STEP_LIMITS["spinal"].maintenance_source == "label:maintenance"


def test_side_effects_reduce_by_10_to_20_percent() -> None:
    assert side_effect_reduction(500) == pytest.approx((450, 400))


def test_a_plan_climbs_by_the_largest_step_and_never_exceeds_it() -> None:
    plan = titration_plan(100, 400, origin="spinal", age_years=40)
    doses = [s.daily_mcg for s in plan]
    assert doses[0] == 100 and doses[-1] == 400 and [s.day for s in plan] == list(range(len(plan)))
    assert all(b / a <= 1.3 + 1e-12 for a, b in itertools.pairwise(doses))


def test_step_dosing_holds_each_dose_for_several_days() -> None:
    plan = titration_plan(
        100, 130, origin="cerebral", age_years=20, step_percent=10, days_per_step=7
    )
    assert [(s.day, s.daily_mcg) for s in plan] == [(0, 100), (7, 110), (14, 121), (21, 130)]


def test_a_plan_step_outside_the_allowed_range_is_refused() -> None:
    with pytest.raises(RegimenError, match="outside the allowed 5-15%"):
        titration_plan(100, 200, origin="cerebral", age_years=20, step_percent=25)
