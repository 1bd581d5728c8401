"""Shared by the benchmarks: machine line, timing, exact reference, JSON results, tables."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

RESULTS = Path(__file__).parent / "results"


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("numpy", "scipy", "numba", "jax", "diffrax", "chi-drm", "dask"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_1min": load,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "versions": versions,
    }


def machine_line(info: dict[str, Any]) -> str:
    """One line for the closing note."""
    v = info["versions"]
    return (
        f"{info['cpu']}, {info['cores']} cores, Python {info['python']}, numpy {v['numpy']}, "
        f"scipy {v['scipy']}, numba {v['numba']}, load {info['load_average_1min']:.2f}"
    )


def best_time(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Best wall time (s) of ``repeats`` calls after one warm-up call, and the last result."""
    result = run()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def max_relative_error(values: np.ndarray, exact: np.ndarray) -> float:
    """Largest |value − exact| / |exact| over points above 1e-6 of each series' peak."""
    peak = np.abs(exact).max(axis=-1, keepdims=True)
    mask = np.abs(exact) > 1e-6 * peak
    return float((np.abs(values - exact)[mask] / np.abs(exact)[mask]).max())


def write(name: str, payload: dict[str, Any]) -> Path:
    """Write results/NAME-DATE.json and return the path."""
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps(payload, indent=2, default=float), encoding="utf-8")
    return path


def show(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """Print a table (floats with 4 significant digits)."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column != columns[0] else "left")
    for row in rows:
        table.add_row(*(f"{c:.4g}" if isinstance(c, float) else str(c) for c in row))
    Console(width=140).print(table)
