"""A program as entered (a daily dose or a program table, optionally the concentration told to the
pump) becomes the same stored document whichever face it came through (`clinic._program_entry`)."""

from __future__ import annotations

import tomllib

import pytest

from itbtwin.clinic import entered_program, program_table
from itbtwin.errors import RecordError
from itbtwin.web._forms import FieldErrors, program_document

FLEX = {
    "mode": "flex",
    "step": [
        {"start": "00:00", "duration": "8 h", "rate": "200 mcg/day"},
        {"start": "08:00", "duration": "16 h", "rate": "300 mcg/day"},
    ],
}
STEPS = """
[[{table}.step]]
start = "00:00"
duration = "8 h"
rate = "200 mcg/day"
[[{table}.step]]
start = "08:00"
duration = "16 h"
rate = "300 mcg/day"
"""


@pytest.mark.parametrize(
    "text",
    [
        '[program]\nmode = "flex"\n' + STEPS.format(table="program"),
        '[[program]]\nmode = "flex"\n' + STEPS.format(table="program"),
        'mode = "flex"\n' + STEPS.replace("[[{table}.step]]", "[[step]]"),
    ],
    ids=["program table", "one [[program]]", "top-level keys"],
)
def test_a_program_table_is_read_however_the_one_program_is_written(text: str) -> None:
    assert program_table(tomllib.loads(text), "p.toml", start="") == FLEX


def test_two_programs_or_none_are_not_a_program_and_the_refusal_names_the_input() -> None:
    for data in ({"program": [FLEX, FLEX]}, {"pump": {"device": "synchromed2-20"}}):
        with pytest.raises(RecordError, match=r"^p\.toml is not a program: expected one program"):
            program_table(data, "p.toml", start="")


def test_a_stored_program_has_no_start_of_its_own() -> None:
    with pytest.raises(RecordError, match=r"^p\.toml: a stored program has no `at`; at --at$"):
        program_table({"program": {**FLEX, "at": "0 h"}}, "p.toml", start="at --at")


def test_a_daily_dose_is_a_simple_continuous_program_in_mcg_per_day() -> None:
    assert entered_program(250.0) == {"mode": "continuous", "daily_dose": "250.0 mcg/day"}
    assert entered_program(250.0, 2000.0) == {
        "mode": "continuous",
        "daily_dose": "250.0 mcg/day",
        "concentration": "2000.0 mcg/mL",
    }


def test_a_table_that_sets_its_concentration_refuses_another_and_is_left_unchanged() -> None:
    table = {**FLEX, "concentration": "500 mcg/mL"}
    with pytest.raises(RecordError, match=r"p\.toml sets the concentration already"):
        entered_program(table, 2000.0, where="p.toml")
    assert table == {**FLEX, "concentration": "500 mcg/mL"}


def test_the_wizard_form_and_the_builder_give_the_same_document() -> None:
    errors = FieldErrors()
    fields = {"daily_dose": "0.25 mg/day", "concentration": "2 mg/mL"}
    assert program_document(fields, errors) == entered_program(250.0, 2000.0)
    assert not errors
    one = '[[program]]\nmode = "flex"\n' + STEPS.format(table="program")
    assert program_document({"program_toml": one}, errors) == FLEX and not errors


def test_the_wizard_keeps_each_refusal_on_its_field() -> None:
    errors = FieldErrors()
    table = 'mode = "continuous"\ndaily_dose = "250 mcg/day"\nconcentration = "500 mcg/mL"\n'
    fields = {"program_toml": table, "concentration": "2000 mcg/mL"}
    assert program_document(fields, errors) is None
    assert errors == {"concentration": "the program table sets the concentration already"}
    errors = FieldErrors()
    assert program_document({"program_toml": 'at = "0 h"\nmode = "continuous"'}, errors) is None
    assert errors == {
        "program_toml": "the program table: a stored program has no `at`; the change starts "
        "when it is confirmed"
    }
