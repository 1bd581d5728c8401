"""Issue 17 sweep: where a command writes. A file name longer than the file system allows, ``-``,
a device (``/dev/full``), a plot format matplotlib cannot write, a full disk during a write and a
backup into a folder that does not exist are one-line refusals, never a traceback or a new
folder; an empty --database is no URL (it once meant the default clinic), and a schedule of 2**63
days is refused before the calendar overflows."""

from __future__ import annotations

import resource
import signal
from pathlib import Path

import pytest

from itbtwin.errors import ItbError, RecordError
from itbtwin.files import writable, write_private

EXAMPLE = Path(__file__).parents[2] / "examples" / "catheter_fracture.toml"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 300 + ".html", "is longer than 255 bytes"),
        ("-", "'-' is not a file name"),
        ("b\n.db", r"the report file name 'b\\n.db' holds a control character"),  # h36 sweep
        ("r\x1b[2J.html", r"file name 'r\\x1b\[2J.html' holds a control character"),
    ],
)
def test_issue_17_a_name_no_file_can_have_is_refused(tmp_path, name, message):
    with pytest.raises(RecordError, match=message):
        writable(tmp_path / name, "report")


def test_issue_17_a_device_is_not_an_output_file():
    with pytest.raises(RecordError, match="'/dev/full' is a device, not a file"):
        writable("/dev/full", "export")


def test_issue_17_a_full_disk_during_a_write_is_one_line(tmp_path):
    """The file-size limit stands in for a full disk: the write fails part-way (EFBIG)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000, hard))
    try:
        with pytest.raises(RecordError, match=r"cannot write .*export\.json"):
            write_private(tmp_path / "export.json", "x" * 100_000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.mark.parametrize(
    "args",
    [
        ["report", "scenario", str(EXAMPLE), "--out", "r" * 300 + ".html"],
        ["simulate", str(EXAMPLE), "--plot", "x" * 300 + ".png"],
        ["simulate", str(EXAMPLE), "--plot", "plot.txt"],
        ["export", "/dev/full"],
        ["export", "-"],
    ],
    ids=["report long name", "plot long name", "plot .txt", "export /dev/full", "export -"],
)
def test_issue_17_a_bad_output_place_is_one_line(cli, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    assert cli("db", "upgrade").exit_code == 0
    result = cli(*args)
    refused = isinstance(result.exception, ItbError) or result.exit_code == 2  # ItbError or fail()
    assert refused, (result.output, result.exception)
    message = str(result.exception) if isinstance(result.exception, ItbError) else result.output
    assert "\n" not in message.strip()
    assert not (tmp_path / "-").exists()


def test_issue_17_a_backup_into_a_missing_folder_makes_no_folder(cli, tmp_path):
    assert cli("db", "upgrade").exit_code == 0
    result = cli("db", "backup", str(tmp_path / "missing" / "b.db"))
    assert isinstance(result.exception, RecordError)
    assert "the folder does not exist" in str(result.exception)
    assert not (tmp_path / "missing").exists()


def test_issue_17_an_empty_database_url_is_not_the_default_clinic(cli):
    assert cli("db", "upgrade").exit_code == 0
    result = cli("patient", "list", "--database", "")
    assert isinstance(result.exception, RecordError)
    assert "not a database URL: ''" in str(result.exception)


@pytest.mark.parametrize("days", [str(2**63), "3653"])
def test_issue_17_a_schedule_beyond_ten_years_is_refused(cli, days):
    assert cli("db", "upgrade").exit_code == 0
    result = cli("schedule", "--days", days)
    assert isinstance(result.exception, RecordError)
    assert "is more than 3,652 (10 years" in str(result.exception)
