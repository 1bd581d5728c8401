"""Issue 17, h29 sweep: an option a command reads only in one case was not read otherwise, so a
wrong value passed without a word: `risk --margin "-1 day"` (the margin of the education sheet)
without `--sheet`, and `titrate --phase warp` when titrate plans rather than checks a step."""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.errors import ItbError

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "missed_refill.toml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["risk", EXAMPLE, "--margin", "-1 day"], "'-1 day' is negative"),
        (["risk", EXAMPLE, "--margin", "3"], "'3' has no unit"),
        (["risk", EXAMPLE, "--margin", "1e9 day"], "the margin is over a billion days"),
        (
            ["titrate", "--origin", "spinal", "--bolus", "75 mcg", "--effect-duration", "6 h",
             "--phase", "warp"],
            "unknown phase 'warp': titration or maintenance",
        ),
    ],
)  # fmt: skip
def test_issue_17_an_option_is_checked_even_where_it_is_not_used(cli, args, message):
    result = cli(*args)
    assert isinstance(result.exception, ItbError), result.output
    assert message in str(result.exception)


def test_issue_17_the_default_margin_ranks_as_before(cli):
    result = cli("risk", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "missed refill visit" in result.output


def test_issue_17_large_print_without_a_sheet_is_refused(cli):
    """h36 sweep: `risk --large-print` without `--sheet` printed the usual ranking, nothing larger,
    without a word."""
    result = cli("risk", EXAMPLE, "--large-print")
    assert isinstance(result.exception, ItbError), result.output
    assert str(result.exception) == (
        "--large-print is for the education sheet: give --sheet FILE too"
    )
