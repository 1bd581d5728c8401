"""Issue 17, h36 sweep: a screening file whose second bolus was before the first was decided
"eligible" with the note "bolus 2 came -24 h after the previous one"; two boluses at the same
time read "came 0 h after"."""

from __future__ import annotations

import pytest

from itbtwin.clinic import ScreeningBolus, ScreeningStatus, decide_screening
from itbtwin.errors import RegimenError


def _none(dose: float, at: float) -> ScreeningBolus:
    return ScreeningBolus(dose, at, baseline_mas="3", best_mas="3")


@pytest.mark.parametrize(("first", "second"), [(36.0, 12.0), (0.0, 0.0), (24.0, 23.99)])
def test_issue_17_a_screening_bolus_not_after_the_one_before_is_refused(first, second):
    with pytest.raises(RegimenError) as refused:
        decide_screening([_none(50, first), _none(75, second)])
    assert str(refused.value) == (
        f"screening bolus 2 at {second:g} h is not after bolus 1 ({first:g} h): list the "
        "boluses in the order given, each at its own time"
    )


def test_issue_17_a_second_bolus_soon_after_the_first_is_still_a_warning():
    decision = decide_screening([_none(50, 0), _none(75, 0.5)])
    assert decision.status is ScreeningStatus.NEXT_DOSE
    assert any(r.rule == "screening_interval" for r in decision.reasons)


def test_issue_17_screen_refuses_a_file_in_the_wrong_order(cli, tmp_path):
    trial = tmp_path / "screen.toml"
    trial.write_text(
        '[[bolus]]\ndose = "50 mcg"\ntime = "36 h"\nbaseline_mas = "3"\nbest_mas = "3"\n\n'
        '[[bolus]]\ndose = "75 mcg"\ntime = "12 h"\nbaseline_mas = "3"\nbest_mas = "1+"\n'
        'effect_duration = "6 h"\n'
    )
    result = cli("screen", str(trial))
    assert isinstance(result.exception, RegimenError), result.output
    assert "screening bolus 2 at 12 h is not after bolus 1 (36 h)" in str(result.exception)
