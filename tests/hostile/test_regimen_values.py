"""Issue 17, h29 sweep of `pk`'s doses and patient: a bolus of 1e9 mcg and an infusion of 10^6
mcg/day were simulated (no pump gives more than a day of its fastest rate with the strongest
product); "50 mcg@" (no time after the @) was read as a dose at 0 h; a body weight of 0.0001 kg
was simulated as a patient (the records refuse it: one bound for every edge, `units`)."""

from __future__ import annotations

import pytest

from itbtwin.errors import ItbError, UnitError
from itbtwin.units import parse_quantity


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bolus", "1e9 mcg"], "more than any pump in the catalogue can deliver (57,600"),
        (["--bolus", "57601 mcg"], "more than any pump in the catalogue can deliver"),
        (["--infusion", "1e6 mcg/day"], "a daily dose of 1,000,000 mcg/day is more than"),
        (["--bolus", "50 mcg@"], "'50 mcg@' has no time after '@'"),
        (["--bolus", "50 mcg@ "], "has no time after '@'"),
        (["--bolus", "0 mcg"], "a bolus is more than 0 mcg"),
        (["--oral", "0 mg"], "a dose is more than 0 mg"),
        (["--bolus", "50 mcg", "--hours", "1e-300"], "shorter than one output step (0.25 h)"),
        (["--bolus", "50 mcg", "--model", "spatial", "--tip", ""], "unknown vertebral level ''"),
    ],
)
def test_issue_17_a_dose_no_pump_gives_or_half_written_is_refused(cli, args, message):
    result = cli("pk", *args)
    assert isinstance(result.exception, ItbError), result.output
    assert message in str(result.exception)


def test_issue_17_the_largest_deliverable_bolus_is_simulated(cli):
    assert cli("pk", "--bolus", "57600 mcg", "--json").exit_code == 0


@pytest.mark.parametrize("text", ["0.0001 kg", "0.5 kg", "401 kg", "1 t", "720 kg"])
def test_issue_17_a_body_weight_no_patient_has_is_refused_at_every_edge(text):
    with pytest.raises(UnitError, match=r"is impossible for a body weight \(expected 1-400 kg"):
        parse_quantity(text, "weight")


@pytest.mark.parametrize(("text", "kg"), [("1 kg", 1.0), ("400 kg", 400.0), ("75 lb", 34.019)])
def test_issue_17_a_body_weight_in_range_is_read(text, kg):
    assert parse_quantity(text, "weight") == pytest.approx(kg, abs=1e-3)


def test_issue_17_pk_refuses_an_impossible_weight(cli):
    result = cli("pk", "--bolus", "50 mcg", "--weight", "0.0001 kg")
    assert isinstance(result.exception, UnitError), result.output
    assert "'0.0001 kg' is impossible for a body weight" in str(result.exception)
