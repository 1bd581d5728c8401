"""Issue 17, h29 sweep: a number typed for a whole-number or number option (`--n`, `--hours`,
`--patients`, `--penn-frequency`...) is one plain decimal number in the digits 0-9. Python and
pydantic read `1_000` as 1000 (a thousands separator, which the quantities refuse too) and
`pk --hours 4_8` simulated 48 hours; `nan` reached the commands' own checks."""

from __future__ import annotations

import re

import pytest

from itbtwin.cli._option_coercion import check_plain_number


@pytest.mark.parametrize(
    ("args", "value"),
    [
        (["population", "--n"], "1_000"),
        (["population", "--n"], "\u0661\u0660"),  # Arabic-Indic 10
        (["population", "--n"], "\uff11\uff10"),  # full-width 10
        (["population", "--seed"], "1.5"),
        (["pk", "--bolus", "50 mcg", "--hours"], "4_8"),
        (["pk", "--bolus", "50 mcg", "--hours"], "nan"),
        (["pk", "--bolus", "50 mcg", "--hours"], "inf"),
        (["pk", "--bolus", "50 mcg", "--days"], "1_0"),
    ],
)
def test_issue_17_a_number_option_not_written_in_plain_digits_is_refused(cli, args, value):
    result = cli(*args, value)
    assert result.exit_code == 2, result.output
    said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())  # click's boxed usage error
    assert f"{value!r} is not a" in said and "number written with the digits 0-9" in said


@pytest.mark.parametrize(
    ("annotation", "text"),
    [(int, "10"), (int, " 10 "), (int, "-1"), (float, "48."), (float, ".5"), (float, "1e3")],
)
def test_issue_17_a_plain_decimal_number_is_left_to_the_option(annotation, text):
    check_plain_number(annotation, text)  # no error: typer reads it as before


def test_issue_17_plain_digits_are_read_as_typed(cli):
    result = cli("pk", "--bolus", "50 mcg", "--hours", "48.", "--json")
    assert result.exit_code == 0, result.output
    assert '"time_h"' in result.output and "48.0" in result.output
