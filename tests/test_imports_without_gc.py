"""Lazy imports pause the garbage collector and freeze what they import (issue 13 start-up).

Importing SQLAlchemy and the record modules makes ~10^5 objects that live as long as the process;
the collector traversed them again and again (~70 ms of `patient list`). These tests run in a
fresh interpreter each, so the freezing they check does not reach the test process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import gc, json, sys
sys.path.insert(0, sys.argv[1])
from itbtwin._lazy_exports import imports_without_gc
if sys.argv[2] == "paused":
    gc.disable()
frozen = gc.get_freeze_count()
with imports_without_gc():
    paused_inside = not gc.isenabled()
    import {module}
print(json.dumps([paused_inside, gc.isenabled(), gc.get_freeze_count() - frozen]))
"""


def _probe(tmp_path: Path, module: str, collector: str) -> list:
    (tmp_path / "made_at_import.py").write_text("TABLE = [[i] for i in range(10_000)]\n")
    code = PROBE.replace("{module}", module)
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path), collector],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def test_issue_13_an_import_runs_paused_and_what_it_made_is_frozen(tmp_path: Path) -> None:
    paused_inside, enabled_after, frozen = _probe(tmp_path, "made_at_import", "on")
    assert paused_inside and enabled_after
    assert frozen >= 10_000  # the module's 10,000 lists, at least


def test_issue_13_nothing_is_frozen_when_nothing_new_was_imported(tmp_path: Path) -> None:
    assert _probe(tmp_path, "json", "on") == [True, True, 0]


def test_issue_13_a_collector_paused_by_the_caller_stays_paused(tmp_path: Path) -> None:
    paused_inside, enabled_after, _ = _probe(tmp_path, "made_at_import", "paused")
    assert paused_inside and not enabled_after


def test_issue_13_reading_the_records_leaves_the_collector_running() -> None:
    # the pause ends with the import: a long command (demo, serve) collects as before
    probe = (
        "import gc, sys; from itbtwin import store; store.open_engine; "
        "print(gc.isenabled(), gc.get_freeze_count() > 0)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]
