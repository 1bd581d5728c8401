"""Click's usage errors read as the project's one line, exit status 2 (issue 17): a mistyped
option value used to print Rich's boxed panel of five lines."""

from __future__ import annotations

import sys

import pytest

import itbtwin.cli

USAGE_ERRORS = [
    (["pk", "--bolus", "50 mcg", "--hours", "2d"], "Invalid value for '--hours'", "itbtwin pk"),
    (["pk", "--nope"], "No such option: --nope", "itbtwin pk"),
    (["frobnicate"], "No such command 'frobnicate'", "itbtwin"),
    (["user", "add"], "Missing argument 'username'", "itbtwin user add"),
]


@pytest.mark.parametrize(("argv", "message", "command"), USAGE_ERRORS, ids=lambda a: str(a))
def test_issue_17_a_usage_error_is_one_line_naming_the_option_and_the_help(
    monkeypatch, capsys, argv, message, command
):
    monkeypatch.setattr(sys, "argv", ["itbtwin", *argv])
    with pytest.raises(SystemExit) as exited:
        itbtwin.cli.main()
    assert exited.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and message in lines[0]
    assert lines[0].endswith(f"(see '{command} --help')")


def test_a_group_without_its_command_shows_its_help_and_exits_2(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["itbtwin", "refill"])
    with pytest.raises(SystemExit) as exited:
        itbtwin.cli.main()
    assert exited.value.code == 2
    assert "Usage: itbtwin refill [OPTIONS] COMMAND" in capsys.readouterr().out
