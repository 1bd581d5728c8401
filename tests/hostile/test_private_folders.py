"""Where patient data lands on a shared machine (issue 17 point 5, h42 retry): the demo's --out
folder was made 0755 (its reports name patients); SQLite's WAL and shared-memory files, present
only while a connection writes, take the database's 0600. A folder that already exists keeps the
mode its owner gave it (it may be shared on purpose); what itbtwin writes in it is 0600 all the
same (docs/records.md)."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from itbtwin import store
from itbtwin.cli._demo import DEMO_FILE


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_issue_17_the_demo_makes_its_out_folder_private(cli, tmp_path):
    out = tmp_path / "demo"
    result = cli("demo", "--size", "8", "--today", "2026-03-02", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert _mode(out) == 0o700
    assert {p.name: _mode(p) for p in out.iterdir() if not p.name.endswith(("-wal", "-shm"))} == {
        "clinic-report.html": 0o600,
        "clinic-report.pdf": 0o600,
        DEMO_FILE: 0o600,
    }


def test_issue_17_an_existing_open_folder_keeps_its_mode_and_the_clinic_is_private(cli, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)  # whatever the umask
    url = f"sqlite:///{shared / 'clinic.db'}"
    assert cli("db", "upgrade", "--database", url).exit_code == 0
    engine = store.open_engine(url)
    try:
        with engine.begin() as connection:  # a writer holds the WAL and shared-memory files
            connection.execute(text("CREATE TABLE held (x INTEGER)"))
            files = {p.name: _mode(p) for p in shared.iterdir()}
    finally:
        engine.dispose()
    assert _mode(shared) == 0o755
    assert files == {"clinic.db": 0o600, "clinic.db-wal": 0o600, "clinic.db-shm": 0o600}
