"""A file name ending in "/" names a folder and is refused before any work (issue 17, h36 sweep):
typer's `Path` dropped the slash, so `export newdir/` wrote a file called ``newdir``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import itbtwin.cli

EXAMPLES = Path(__file__).parents[2] / "examples"
SCENARIO = str(EXAMPLES / "missed_refill.toml")


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["pk", "--bolus", "50 mcg", "--hours", "24", "--plot"], "'--plot'"),
        (["simulate", SCENARIO, "--plot"], "'--plot'"),
        (["report", "scenario", SCENARIO, "--out"], "'--out'"),
        (["report", "scenario", SCENARIO, "--pdf"], "'--pdf'"),
        (["risk", SCENARIO, "--sheet"], "'--sheet'"),
        (["export", "--nonmem"], "'--nonmem'"),
        (["export", "--fhir"], "'--fhir'"),
        (["export"], "'file'"),
        (["db", "backup"], "'file'"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else a,
)
def test_issue_17_a_file_name_ending_in_a_slash_is_refused_and_nothing_written(
    monkeypatch, capsys, tmp_path, command, option
):
    folder = tmp_path / "newdir"
    database = f"sqlite:///{tmp_path / 'clinic.db'}"
    argv = ["itbtwin", *command, f"{folder}/"]
    if command[0] in ("export", "db"):
        argv += ["--database", database]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exited:
        itbtwin.cli.main()
    assert exited.value.code == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"error: Invalid value for {option}: '{folder}/' ends with '/'")
    assert "so it names a folder: give a file name in it" in error
    assert list(tmp_path.iterdir()) == []  # no file "newdir", no database made
