"""Issue 17 leftover 2: a clinic database the user cannot write (a 0400 file, a read-only folder)
can still be listed; a command that records gives one line, "the clinic database is read-only",
and the file is unchanged.

The commands run in their own process. Root may write any file, so as root the process runs
without the capabilities that override file modes (``setpriv``), as a clinic's user would.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from records_cli.conftest import IMPLANT

ITBTWIN = Path(sys.executable).parent / "itbtwin"
READING = [
    "patient list --json",
    "patient show P001 --json",
    "schedule --json",
    "risk --json",
    "audit --json",
    "export clinic.json --json",
    "db status",
]
WRITING = [
    'patient add P002 --birth-date 1990-01-01 --weight "70 kg" --origin spinal',
    'program set NGP001 --daily-dose "300 mcg/day" --reason "more spasm"',
    'pump event NGP001 --kind interrogation --at "2026-11-20 10:00"',
]


def _as_clinic_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file modes cannot be enforced")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def _run(command: str, database: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_as_clinic_user(), ITBTWIN, *shlex.split(command), "--database", f"sqlite:///{database}"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.fixture(params=["file 0400", "folder 0500"])
def read_only_clinic(request, tmp_path, cli):
    """P001 with pump NGP001 on a SQLite file the user may read but not write."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    database = folder / "clinic.db"
    for command in (
        "db upgrade",
        'patient add P001 --birth-date 1980-05-01 --weight "75 kg" --origin spinal',
        IMPLANT,
    ):
        result = cli(*shlex.split(command), "--database", f"sqlite:///{database}")
        assert result.exit_code == 0, result.output
    database.chmod(0o400)
    if request.param == "folder 0500":
        folder.chmod(0o500)
    yield database
    folder.chmod(0o700)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", READING)
def test_issue_17_a_read_only_clinic_can_be_listed(read_only_clinic, tmp_path, command):
    result = _run(command, read_only_clinic, tmp_path)
    assert result.returncode == 0, result.stderr
    if command.startswith("export"):
        assert "P001" in (tmp_path / "clinic.json").read_text()
    elif command.endswith("--json"):
        assert "P001" in json.dumps(json.loads(result.stdout))


@pytest.mark.parametrize("command", WRITING)
def test_issue_17_a_writing_command_on_a_read_only_clinic_is_one_line_and_changes_nothing(
    read_only_clinic, tmp_path, command
):
    before = _digest(read_only_clinic)
    result = _run(command, read_only_clinic, tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: the clinic database is read-only:"), result.stderr
    assert result.stderr.count("\n") == 1
    assert _digest(read_only_clinic) == before


def test_issue_17_the_report_of_a_read_only_clinic_is_written_elsewhere(read_only_clinic, tmp_path):
    result = _run("report clinic --out report.html", read_only_clinic, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "P001" in (tmp_path / "report.html").read_text()


def test_issue_17_db_check_reads_a_read_only_clinic(read_only_clinic, tmp_path):
    result = _run("db check", read_only_clinic, tmp_path)
    assert "integrity" in result.stdout and "Traceback" not in result.stderr, result.stderr
