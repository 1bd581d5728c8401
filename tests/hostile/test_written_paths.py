"""Issue 17 leftover 3: a path in "written to …", "exported … to …" or an error is shown as the
user wrote it: a folder named ``[red]x`` is not Rich markup, a newline does not split the line."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
FOLDERS = ["[red]x", "[bold]b", "[link=evil]y"]


@pytest.mark.parametrize("name", FOLDERS)
def test_issue_17_a_written_report_path_is_shown_as_written(cli, tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    out = folder / "r.html"
    result = cli("report", "scenario", str(EXAMPLES / "pocket_fill.toml"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert f"report written to {out}" in result.stdout


@pytest.mark.parametrize("name", FOLDERS)
def test_issue_17_an_export_path_is_shown_as_written(cli, tmp_path, name):
    database = f"sqlite:///{tmp_path / 'c.db'}"
    assert cli("db", "upgrade", "--database", database).exit_code == 0
    folder = tmp_path / name
    folder.mkdir()
    out = folder / "clinic.json"
    result = cli("export", str(out), "--database", database)
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.stdout


def test_issue_17_a_report_error_naming_a_markup_folder_shows_it(cli, tmp_path):
    """The folder is missing: the one-line error names it with its brackets."""
    out = tmp_path / "[red]gone" / "r.html"
    result = cli("report", "scenario", str(EXAMPLES / "pocket_fill.toml"), "--out", str(out))
    assert result.exit_code == 2
    assert "[red]gone" in result.output


def test_issue_17_a_newline_in_a_written_path_stays_on_one_line(cli, tmp_path):
    folder = tmp_path / "a\nb"
    folder.mkdir()
    out = folder / "r.html"
    result = cli("report", "scenario", str(EXAMPLES / "pocket_fill.toml"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"report written to {tmp_path}/a\\nb/r.html\n" in result.stdout
