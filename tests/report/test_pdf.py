"""The PDF is the report's HTML laid out on A4 (issue 16, point 1): the same sections, a running
header with the title and date, "page N of M", wide tables on landscape pages, figures inline;
where the engine cannot load, one line says so and the HTML is still written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.errors import ReportEngineMissing
from itbtwin.report import Document, pdf_page_count, write_pdf

from .conftest import MISSED_REFILL

A4_PT = (595.276, 841.89)
"""A4 in PDF points, portrait."""
poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def _pages(path: Path) -> list[tuple[float, float, str]]:
    """(width, height, text) of each page, from ``pdftotext -bbox``."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)
    return [
        (float(w), float(h), " ".join(re.findall(r">([^<]*)</word>", body))) for w, h, body in pages
    ]


@pytest.fixture(scope="module")
def scenario_pdf(missed_refill_report: Document, tmp_path_factory) -> Path:
    return write_pdf(missed_refill_report, tmp_path_factory.mktemp("pdf") / "r.pdf")


@poppler
def test_pdf_has_every_section_in_order_on_a4_with_header_and_page_numbers(
    scenario_pdf: Path, missed_refill_report: Document
) -> None:
    pages = _pages(scenario_pdf)
    assert len(pages) == pdf_page_count(missed_refill_report) >= 3
    text = " ".join(t for _, _, t in pages)
    titles = ["Scenario", "Outcome", "Findings", "Figures", "Events", "Model and device numbers"]
    positions = [text.index(f" {t} ") for t in [*titles, "Sources"]]
    assert positions == sorted(positions)
    for number, (width, height, page_text) in enumerate(pages, start=1):
        assert (round(width, 1), round(height, 1)) == (round(A4_PT[0], 1), round(A4_PT[1], 1))
        assert page_text.startswith("Scenario report: Missed refill · Mon 08 Jan 2024 12:00 UTC")
        assert page_text.endswith(f"page {number} of {len(pages)}")
    assert "BLOCK withdrawal signal for" in text


@poppler
def test_pdf_embeds_the_four_figures_inline(scenario_pdf: Path) -> None:
    listing = subprocess.run(
        ["pdfimages", "-list", str(scenario_pdf)], capture_output=True, text=True, check=True
    ).stdout
    images = [line for line in listing.splitlines()[2:] if line.split()[2:3] == ["image"]]
    assert len(images) == 4


@poppler
def test_a_table_of_eight_columns_or_more_is_printed_on_a_landscape_page(tmp_path: Path) -> None:
    doc = Document("Wide", "", {"as of": "Mon 07 Dec 2026"})
    header = [f"column {n} (mL)" for n in range(12)]
    doc.section("Narrow").table(("a", "b"), [(1, 2)])
    doc.section("Wide").table(header, [[f"value {n}" for n in range(12)]] * 3)
    sizes = [(w > h) for w, h, _ in _pages(write_pdf(doc, tmp_path / "w.pdf"))]
    assert sizes[0] is False and True in sizes


def test_a_missing_engine_is_one_error_that_says_what_to_install(monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint raises ImportError
    with pytest.raises(ReportEngineMissing, match=r"^PDF not written: .*docs/reports\.md\)$"):
        write_pdf(Document("x"), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_report_command_without_the_engine_still_writes_the_html(monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    out, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    args = ["report", "scenario", str(MISSED_REFILL), "--out", str(out), "--pdf", str(pdf)]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["pdf"] is None and payload["pdf_error"].startswith("PDF not written")
    assert out.is_file() and not pdf.exists()
    warning = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warning) == 1 and warning[0].startswith("warning: PDF not written")
