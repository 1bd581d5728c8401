"""`itbtwin report scenario FILE`: writes the HTML (and PDF), prints where; errors in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import itbtwin.cli

EXAMPLE = Path(__file__).parents[2] / "examples" / "missed_refill.toml"


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(itbtwin.cli.app, list(args))


def test_report_scenario_writes_html_and_pdf(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run("report", "scenario", str(EXAMPLE), "--pdf", "story.pdf")
    assert result.exit_code == 0, result.output
    html = tmp_path / "missed_refill-report.html"
    assert html.is_file() and (tmp_path / "story.pdf").read_bytes().startswith(b"%PDF")
    assert "missed_refill-report.html" in result.stdout and "story.pdf" in result.stdout
    assert "Missed refill" in html.read_text(encoding="utf-8")


def test_report_scenario_json_prints_the_paths(tmp_path: Path) -> None:
    out, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    result = _run(
        "report", "scenario", str(EXAMPLE), "--out", str(out), "--pdf", str(pdf), "--json"
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert Path(payload["html"]) == out.resolve() and Path(payload["pdf"]) == pdf.resolve()
    assert out.is_file() and pdf.is_file()
    assert payload["title"] == "Scenario report: Missed refill"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["no-such-scenario.toml"], "cannot read the scenario"),
        ([str(EXAMPLE), "--out", "missing-folder/r.html"], "no folder"),
        ([str(EXAMPLE), "--out", "r.txt"], "must end in .html"),
        ([str(EXAMPLE), "--pdf", "r.png"], "must end in .pdf"),
    ],
)
def test_report_scenario_errors_are_one_line(
    args: list[str], words: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run("report", "scenario", *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and words in lines[0]
    assert "Traceback" not in result.output
    assert not list(tmp_path.glob("*.html"))
