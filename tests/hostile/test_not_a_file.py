"""Issue 17 leftover 1: a named pipe, a device or a folder given as an input file is refused at
once in one line naming it (reading one would wait for a writer forever, or never end)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from itbtwin.errors import ItbError, RecordError
from itbtwin.user_files import JSON_LIMIT_BYTES, read_text
from test_issue_17_hostile_files import READERS

ITBTWIN = Path(sys.executable).parent / "itbtwin"


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "scenario.toml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("reader", list(READERS))
def test_issue_17_every_toml_reader_refuses_a_named_pipe_without_waiting(fifo, reader):
    read, _ = READERS[reader]
    with pytest.raises(ItbError, match=r"is a named pipe, not a file"):
        read(fifo)


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "a device"), ("/dev/null", "a device"), ("/", "a folder")]
)
def test_issue_17_a_device_or_folder_is_refused_before_anything_is_read(path, kind):
    with pytest.raises(RecordError, match=f"the import file '{path}' is {kind}, not a file"):
        read_text(path, "import file", RecordError, JSON_LIMIT_BYTES)


def test_issue_17_import_of_a_named_pipe_is_one_line_and_exit_2(fifo, tmp_path):
    """The real command, in its own process: a read that blocked would hit the timeout."""
    result = subprocess.run(
        [ITBTWIN, "import", str(fifo), "--database", f"sqlite:///{tmp_path / 'c.db'}"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert "is a named pipe, not a file" in result.stderr


def test_issue_17_dev_stdin_on_a_terminal_or_pipe_is_not_read(tmp_path):
    """``/dev/stdin`` is the terminal (a device) or a pipe: neither is a saved scenario."""
    result = subprocess.run(
        [ITBTWIN, "simulate", "/dev/stdin"],
        capture_output=True,
        text=True,
        timeout=60,
        input='name = "x"\n',
    )
    assert result.returncode == 2, result.stderr
    assert "the scenario '/dev/stdin' is a named pipe, not a file" in result.stderr
