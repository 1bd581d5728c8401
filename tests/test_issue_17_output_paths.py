"""Issue 17 point 3: an output path in a missing or unwritable folder is one line (and the work is
not done first); a patient identifier never decides where a report goes; Rich markup and control
characters in a user's text are shown, not obeyed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from itbtwin.cli._app import console, one_line
from itbtwin.cli._output import print_table
from itbtwin.cli._report_records import default_report_path
from itbtwin.display import badge
from itbtwin.errors import ItbError
from itbtwin.report import Document, write_html

EXAMPLES = Path(__file__).parents[1] / "examples"
SCENARIO = str(EXAMPLES / "catheter_fracture.toml")
TRIAL = str(EXAMPLES / "trials" / "alarm_2ml.toml")


def _refused(cli, *args: str) -> str:
    result = cli(*args)
    assert isinstance(result.exception, ItbError), result.output
    assert "\n" not in str(result.exception)
    return str(result.exception)


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (("pk", "--bolus", "50 mcg", "--plot"), "plot"),
        (("simulate", SCENARIO, "--plot"), "plot"),
        (("risk", SCENARIO, "--sheet"), "sheet"),
        (("trial", "run", TRIAL, "--patients", "64", "--report"), "trial report"),
    ],
)
def test_issue_17_an_output_in_a_missing_folder_is_refused_and_no_folder_is_made(
    cli, tmp_path, command, what
):
    suffix = ".png" if what == "plot" else ".html"
    target = tmp_path / "missing" / f"out{suffix}"
    message = _refused(cli, *command, str(target))
    assert f"cannot write the {what}" in message and "the folder does not exist" in message
    assert not (tmp_path / "missing").exists()


def test_issue_17_an_output_whose_folder_is_a_file_is_refused(cli, tmp_path):
    (tmp_path / "afile").write_text("")
    message = _refused(cli, "pk", "--bolus", "50 mcg", "--plot", str(tmp_path / "afile/x.png"))
    assert "the folder is a file, not a folder" in message


def test_issue_17_an_output_that_is_a_folder_is_refused(cli, tmp_path):
    (tmp_path / "x.png").mkdir()
    message = _refused(cli, "pk", "--bolus", "50 mcg", "--plot", str(tmp_path / "x.png"))
    assert "is a folder: give a file name" in message


def test_issue_17_demo_out_that_is_a_file_is_refused_and_the_file_kept(cli, tmp_path):
    out = tmp_path / "afile"
    out.write_text("mine")
    assert "is a file: give a folder" in _refused(cli, "demo", "--out", str(out))
    assert out.read_text() == "mine"


@pytest.mark.parametrize(
    ("identifier", "name"),
    [
        ("../../x", "x-report.html"),
        ("/etc/passwd", "etc_passwd-report.html"),
        ("P001", "P001-report.html"),
        ("..", "patient-report.html"),
    ],
)
def test_issue_17_a_patient_identifier_never_decides_where_a_report_goes(identifier, name):
    assert default_report_path(identifier) == Path(name)


def test_issue_17_a_report_names_patients_so_it_is_written_0600(tmp_path):
    path = write_html(Document("Patient report: P001"), tmp_path / "r.html")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_issue_17_rich_markup_in_a_table_cell_is_shown_as_written():
    with console.capture() as captured:
        print_table("trial [b]x[/b]", ["identifier", "check"], [["[red]P1[/red]", badge("pass")]])
    shown = captured.get()
    assert (
        "trial [b]x[/b]" in shown
        and "[red]P1[/red]" in shown
        and "PASS" in shown
        and "[bold green]" not in shown
    )


def test_issue_17_the_error_line_writes_out_newlines_and_terminal_codes():
    assert one_line("P1\n\x1b[31mred") == "P1\\n\\x1b[31mred"
