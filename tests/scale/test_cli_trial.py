"""`itbtwin trial run`: table, JSON and HTML report from a trial file."""

from __future__ import annotations

import json
from pathlib import Path

TRIAL = """
name = "cli check"
seed = 3
duration_days = 2
[population]
size = 500
block_size = 128
[[regimen]]
infusion = "300 mcg/day"
[[outcomes]]
kind = "quantiles"
outputs = ["csf_lumbar"]
[[outcomes]]
kind = "steady_state"
output = "csf_lumbar"
thresholds_ng_ml = [100]
"""


def write_trial(tmp_path: Path) -> Path:
    path = tmp_path / "trial.toml"
    path.write_text(TRIAL, encoding="utf-8")
    return path


def test_trial_run_prints_one_json_object_with_every_outcome(cli, tmp_path: Path) -> None:
    result = cli("trial", "run", str(write_trial(tmp_path)), "--json", "--chunk-size", "128")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["patients"] == 500
    assert [o["kind"] for o in payload["outcomes"]] == ["quantiles", "steady_state"]


def test_trial_run_writes_an_html_report_with_plots(cli, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = cli("trial", "run", str(write_trial(tmp_path)), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "data:image/png;base64" in report.read_text(encoding="utf-8")


def test_trial_run_refuses_workers_and_scheduler_together(cli, tmp_path: Path) -> None:
    result = cli(
        "trial", "run", str(write_trial(tmp_path)), "--workers", "2", "--scheduler", "tcp://x:1"
    )
    assert result.exit_code != 0
