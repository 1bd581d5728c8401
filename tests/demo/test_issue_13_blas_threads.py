"""Issue 13 §4: `itbtwin demo` runs OpenBLAS on one thread (its matrices are too small for a
second one to help), set before NumPy loads, and keeps a thread count the user set."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import os, sys
from itbtwin.cli import main
loaded = "numpy" in sys.modules  # OpenBLAS reads the setting when NumPy loads it
sys.argv = ["itbtwin", "demo", "--size", "3"]  # refused by the size check, after the setting
try:
    main()
except SystemExit:
    pass
print(os.environ.get("OPENBLAS_NUM_THREADS"), loaded)
"""


def _threads_seen(env: dict[str, str]) -> str:
    """OPENBLAS_NUM_THREADS as the demo left it; NumPy was not loaded before it ran."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    assert "at least 8 patients" in done.stderr  # the demo ran, and stopped at its first check
    threads, loaded = done.stdout.split()
    assert loaded == "False"
    return threads


def test_issue_13_the_demo_runs_openblas_on_one_thread_set_before_numpy_loads():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert _threads_seen(env) == "1"


def test_issue_13_the_demo_keeps_the_blas_threads_the_user_set():
    assert _threads_seen(os.environ | {"OPENBLAS_NUM_THREADS": "2"}) == "2"
