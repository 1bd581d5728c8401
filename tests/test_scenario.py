"""Scenario files: validated whole, errors that name the field and its line, lossless round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbtwin.errors import ScenarioError
from itbtwin.sim import dumps_scenario, load_scenario, loads_scenario

EXAMPLES = sorted(Path(__file__).parents[1].joinpath("examples").glob("*.toml"))

TEMPLATE = Path(__file__).parent / "pump" / "minimal_scenario.toml"


def scenario_text(**values: str) -> str:
    fields = {
        "duration": "10 day",
        "device": "synchromed2-20",
        "volume": "20 mL",
        "dose": "250 mcg/day",
    }
    return TEMPLATE.read_text().format(**{**fields, **values})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_round_trips_through_save_and_load_unchanged(path: Path) -> None:
    scenario = load_scenario(path)
    text = dumps_scenario(scenario)
    again = loads_scenario(text)
    assert again == scenario
    assert dumps_scenario(again) == text
    assert again.header == scenario.header and scenario.header.startswith("#")


@settings(max_examples=30, deadline=None)
@given(
    volume=st.floats(0.5, 20),
    dose=st.floats(30, 5000),
    days=st.floats(1, 400),
    refill=st.floats(0, 1),
)
def test_any_valid_scenario_round_trips_unchanged(volume, dose, days, refill) -> None:
    text = scenario_text(duration=f"{days} day", volume=f"{volume} mL", dose=f"{dose} mcg/day")
    text += f'\n[[refill]]\nat = "{refill * days} day"\nvolume = "{volume} mL"\n'
    text += 'concentration = "500 mcg/mL"\n'
    scenario = loads_scenario(text)
    assert loads_scenario(dumps_scenario(scenario)) == scenario


def _error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text)
    return info.value


def test_unknown_device_names_the_field_and_line() -> None:
    err = _error(scenario_text(device="synchromed9"))
    assert (err.field, err.line) == ("pump.device", 8)
    assert "unknown pump 'synchromed9'" in str(err)


def test_negative_volume_names_the_field_and_line() -> None:
    err = _error(scenario_text(volume="-2 mL"))
    assert (err.field, err.line) == ("reservoir.volume", 15)
    assert "negative" in str(err)


def test_rate_outside_the_device_range_names_the_program_line() -> None:
    err = _error(scenario_text(dose="20000 mcg/day"))
    assert (err.field, err.line) == ("program[0].daily_dose", 21)  # the rate is its daily dose
    assert "outside the 0.048-24 mL/day" in str(err)


def test_daily_dose_in_mcg_per_litre_is_refused_as_the_product_page_typo() -> None:
    err = _error(scenario_text(dose="500 mcg/L"))
    assert (err.field, err.line) == ("program[0].daily_dose", 21)
    assert "typo for mcg/day" in str(err)


def test_overlapping_flex_steps_name_the_program_and_line() -> None:
    text = scenario_text().replace(
        'mode = "continuous"\ndaily_dose = "250 mcg/day"\n',
        'mode = "flex"\n'
        '[[program.step]]\nstart = "00:00"\nduration = "10 h"\nrate = "200 mcg/day"\n'
        '[[program.step]]\nstart = "07:00"\nduration = "17 h"\nrate = "300 mcg/day"\n',
    )
    err = _error(text)
    assert err.field == "program[0].mode" and err.line == 20
    assert "overlap" in str(err)


def test_unknown_keys_and_late_events_are_errors_with_lines() -> None:
    err = _error(scenario_text() + 'colour = "red"\n')
    assert (err.field, err.line) == ("program[0].colour", 22)
    err = _error(scenario_text() + '\n[[fault]]\nkind = "motor_stall"\nat = "20 day"\n')
    assert (err.field, err.line) == ("fault[0].at", 25)


def test_invalid_toml_reports_its_line() -> None:
    err = _error(scenario_text() + "broken = \n")
    assert err.line == 22


def test_a_fault_on_a_refill_that_does_not_exist_is_an_error() -> None:
    err = _error(scenario_text() + '\n[[fault]]\nkind = "pocket_fill"\nat = "3 day"\n')
    assert err.field == "fault[0].at" and "no refill" in str(err)


def test_a_date_time_may_give_when_an_event_happens_across_daylight_saving() -> None:
    text = (
        scenario_text(duration="100 day")
        + '\n[[fault]]\nkind = "motor_stall"\nat = 2024-04-08T09:00:00\n'
    )
    scenario = loads_scenario(text)
    assert scenario.therapy.faults[0].at_h == 91 * 24 - 1  # BST: 09:00 local is 08:00 UTC
