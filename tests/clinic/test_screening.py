"""Screening trial rules (label:screening, boster2016), including boundary cases."""

from __future__ import annotations

import pytest

from itbtwin.clinic import ScreeningBolus, ScreeningStatus, Verdict, decide_screening, ladder
from itbtwin.errors import RegimenError


def _none(dose: float, at: float) -> ScreeningBolus:
    return ScreeningBolus(
        dose, at, baseline_mas="3", best_mas="3", baseline_penn_frequency=3, best_penn_frequency=3
    )


def test_the_ladder_is_50_75_100_and_starts_at_25_for_small_patients() -> None:
    assert ladder() == (50, 75, 100)
    assert ladder(small_or_sensitive=True) == (25, 50, 75, 100)


def test_an_empty_trial_starts_with_50_mcg_and_the_observation_protocol() -> None:
    decision = decide_screening([])
    assert decision.status is ScreeningStatus.NEXT_DOSE and decision.next_dose_mcg == 50
    assert "4-8 h" in decision.reasons[0].text


def test_no_response_escalates_to_the_next_dose_24_h_later() -> None:
    decision = decide_screening([_none(50, 0)])
    assert decision.status is ScreeningStatus.NEXT_DOSE
    assert (decision.next_dose_mcg, decision.earliest_next_h) == (75, 24)


def test_a_one_grade_mas_drop_is_a_positive_response() -> None:
    bolus = ScreeningBolus(50, 0, baseline_mas="2", best_mas="1+", effect_duration_h=6)
    decision = decide_screening([bolus])
    assert decision.status is ScreeningStatus.ELIGIBLE
    assert (decision.effective_dose_mcg, decision.effect_duration_h) == (50, 6)


def test_fewer_spasms_alone_is_a_positive_response() -> None:
    bolus = ScreeningBolus(50, 0, "3", "3", baseline_penn_frequency=3, best_penn_frequency=1)
    assert decide_screening([bolus]).status is ScreeningStatus.ELIGIBLE


def test_no_response_to_100_mcg_is_not_a_candidate() -> None:
    decision = decide_screening([_none(50, 0), _none(75, 24), _none(100, 48)])
    assert decision.status is ScreeningStatus.NOT_A_CANDIDATE
    assert decision.reasons[-1].rule == "screening_non_responder"


def test_boluses_closer_than_24_h_are_flagged_and_exactly_24_h_is_fine() -> None:
    close = decide_screening([_none(50, 0), _none(75, 23.5)])
    assert any(r.rule == "screening_interval" and r.verdict is Verdict.WARN for r in close.reasons)
    exact = decide_screening([_none(50, 0), _none(75, 24)])
    assert not any(r.rule == "screening_interval" for r in exact.reasons)


def test_respiratory_depression_stops_the_trial() -> None:
    bolus = ScreeningBolus(50, 0, "3", "1", adverse_effects=("respiratory depression",))
    decision = decide_screening([bolus])
    assert decision.status is ScreeningStatus.NOT_A_CANDIDATE and decision.adverse_reaction


def test_a_dose_off_the_ladder_is_an_error() -> None:
    with pytest.raises(RegimenError, match="ladder expects 75"):
        decide_screening([_none(50, 0), _none(100, 24)])


@pytest.mark.parametrize("grade", ["5", "1-", "2+"])
def test_unknown_mas_grades_are_errors(grade: str) -> None:
    with pytest.raises(RegimenError, match="MAS grade"):
        ScreeningBolus(50, 0, baseline_mas=grade, best_mas="1")
