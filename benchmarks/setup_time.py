"""Issue 13 §4: a fresh machine is set up in under 60 s of install on 2 cores, with visible
progress. Measures the Makefile's set-up (`make .venv/.installed`: venv, uv installed by pip,
`uv pip sync requirements.lock`, the editable install) as a newcomer runs it: in a fresh clone of
the committed tree, with an empty HOME and package cache (every wheel downloaded from the
registry), and times each stage from its "== set-up:" line.

The result (`results/setup-DATE.json`: total wall and CPU seconds, each stage, the machine line)
is what `benchmarks/clinic.py` quotes in the issue 13 table's set-up row. The download depends on
the network as much as on the machine: the table says when and at what load it was measured.

Run: .venv/bin/python benchmarks/setup_time.py [--keep]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import machine, machine_line, show, write

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 60.0
STAGE_MARK = "== set-up:"


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(folder: Path) -> dict[str, Any]:
    """Clone, then run the set-up in the clone with an empty HOME and cache; each output line is
    echoed with its second, each stage timed from its "== set-up:" line to the next."""
    clone, home = folder / "clone", folder / "home"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    home.mkdir()
    env = os.environ | {
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    env.pop("VIRTUAL_ENV", None)
    stages: list[list[Any]] = [["start", 0.0]]
    start, start_cpu = time.perf_counter(), _children_cpu_s()
    with subprocess.Popen(
        ["make", ".venv/.installed"], cwd=clone, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    ) as make:  # fmt: skip
        assert make.stdout is not None
        for line in make.stdout:
            at = time.perf_counter() - start
            print(f"  {at:6.1f} s  {line.rstrip()}", file=sys.stderr, flush=True)
            if line.startswith(STAGE_MARK):
                stages.append([line.removeprefix(STAGE_MARK).strip(), at])
    total = time.perf_counter() - start
    if make.returncode:
        raise SystemExit(f"the set-up failed (exit status {make.returncode})")
    timed = [
        {"stage": name, "s": (stages[i + 1][1] if i + 1 < len(stages) else total) - at}
        for i, (name, at) in enumerate(stages)
    ]
    return {"total_s": total, "cpu_s": _children_cpu_s() - start_cpu, "stages": timed}


def main(keep: bool) -> None:
    info = machine()
    folder = Path(tempfile.mkdtemp(prefix="itbtwin-setup-"))
    try:
        result = measure(folder)
    finally:
        if keep:
            print(f"kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    rows = [[s["stage"], s["s"]] for s in result["stages"]]
    verdict = "met" if result["total_s"] < GOAL_S else "NOT met"
    rows.append(
        [f"total (goal {GOAL_S:g} s: {verdict}); CPU {result['cpu_s']:.1f} s", result["total_s"]]
    )
    show(f"Issue 13 §4 set-up of a fresh clone — {machine_line(info)}", ["stage", "s"], rows)
    payload = {"machine": info, "goal_s": GOAL_S, **result}
    print(f"results written to {write('setup', payload)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the clone and its venv")
    main(parser.parse_args().keep)
