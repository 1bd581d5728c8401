"""Issue 17, h36 sweep of output places: a report, an education sheet, a trial report or an
export (with --force) given a symbolic link wrote through it, over the file it points to (a link
planted in a shared folder sends patient data elsewhere); `db backup` replaces such a link."""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.errors import RecordError
from itbtwin.files import write_private

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "missed_refill.toml")


@pytest.fixture
def link(tmp_path) -> tuple[Path, Path]:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    link = tmp_path / "out.html"
    link.symlink_to(victim)
    return link, victim


def test_issue_17_a_private_file_is_not_written_through_a_link(link):
    path, victim = link
    with pytest.raises(RecordError) as refused:
        write_private(path, "<p>patient</p>")
    assert str(refused.value) == (
        f"{str(path)!r} is a symbolic link (to {str(victim)!r}): a file with patient data is "
        "never written through a link; give the file's own path"
    )
    assert victim.read_text() == "keep\n" and path.is_symlink()


def test_issue_17_a_dangling_link_is_not_followed_either(tmp_path):
    path = tmp_path / "out.html"
    path.symlink_to(tmp_path / "elsewhere.html")
    with pytest.raises(RecordError):
        write_private(path, "<p>patient</p>")
    assert not (tmp_path / "elsewhere.html").exists()


@pytest.mark.parametrize(
    "command",
    [("report", "scenario", EXAMPLE, "--out"), ("risk", EXAMPLE, "--sheet")],
)
def test_issue_17_a_report_or_sheet_onto_a_link_is_refused(cli, link, command):
    path, victim = link
    result = cli(*command, str(path))
    assert isinstance(result.exception, RecordError), result.output
    assert "is a symbolic link" in str(result.exception)
    assert victim.read_text() == "keep\n"


def test_issue_17_a_regular_file_is_still_written(tmp_path):
    path = tmp_path / "out.html"
    write_private(path, "<p>ok</p>")
    assert path.read_text() == "<p>ok</p>" and path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (("pk", "--bolus", "50 mcg", "--hours", "24", "--plot"), "out.png"),
        (("pk", "--bolus", "50 mcg", "--hours", "24", "--plot"), "out.html"),
        (("simulate", EXAMPLE, "--plot"), "out.png"),
    ],
)
def test_issue_17_a_plot_onto_a_link_is_refused(cli, tmp_path, command, name):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    path = tmp_path / name
    path.symlink_to(victim)
    result = cli(*command, str(path))
    assert isinstance(result.exception, RecordError), result.output
    assert "is a symbolic link" in str(result.exception)
    assert victim.read_text() == "keep\n"
