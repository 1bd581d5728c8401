"""Issue 13 §4: a long table (the demo's 500 patients) is printed with fixed column widths sized
from its cells, so the PDF engine lays it out in one pass; the cells' text is unchanged and no
word of a usual cell is broken across lines."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from itbtwin.report import Document, render_html, write_pdf
from itbtwin.report._column_widths import LONG_TABLE_ROWS, colgroup, column_widths

HEADER = ("patient", "age (years)", "pump serial", "pump model", "last MAS", "twin MAS now")


def _rows(count: int) -> list[list[object]]:
    return [
        [
            f"DEMO-{k:03d}",
            20 + k % 50,
            f"NGV007{k:03d}",
            "SynchroMed II 40 mL (8637-40)",
            "hip adductors L 1+; hip adductors R 2",
            "1+",
        ]
        for k in range(1, count + 1)
    ]


def _texts(rows: list[list[object]]) -> list[list[str]]:
    return [[str(v) for v in row] for row in rows]


def test_issue_13_column_shares_sum_to_the_table_and_follow_the_longest_words():
    widths = column_widths(HEADER, _texts(_rows(LONG_TABLE_ROWS)))
    assert sum(widths) == pytest.approx(100.0)
    patient, age, serial, model, mas, twin = widths
    assert serial > patient > twin  # NGV007001 (9 wide letters) > DEMO-001 > "1+"
    assert model > age and mas > age  # long text asks for more than a number


def test_issue_13_only_a_table_of_forty_rows_or_more_gets_its_widths():
    header = list(HEADER)
    assert colgroup(header, _texts(_rows(LONG_TABLE_ROWS - 1))) == ""
    cols = re.findall(r'<col style="width:([\d.]+)%">', colgroup(header, _texts(_rows(40))))
    assert len(cols) == len(HEADER) and sum(map(float, cols)) == pytest.approx(100.0, abs=0.5)


def test_issue_13_a_long_table_keeps_its_cells_and_prints_with_fixed_layout():
    doc = Document("Long", "", {"as of": "Mon 07 Dec 2026"})
    doc.section("Patients").table(HEADER, _rows(LONG_TABLE_ROWS))
    page = render_html(doc)
    assert '<table class="long"><colgroup>' in page and "table.long{table-layout:fixed}" in page
    cells = re.findall(r"<td>(.*?)</td>", page.split('class="long"')[1].split("</table>")[0])
    assert cells == [text for row in _texts(_rows(LONG_TABLE_ROWS)) for text in row]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_issue_13_no_serial_or_identifier_is_broken_across_lines_in_the_pdf(tmp_path: Path):
    header = (*HEADER, "daily dose (mcg/day)", "concentration (mcg/mL)", "last fill")
    rows = [[*row, 540, 2000, "Fri 21 Aug 2026 12:00"] for row in _rows(60)]
    doc = Document("Long", "", {"as of": "Mon 07 Dec 2026"})
    doc.section("Patients").table(header, rows)
    pdf = write_pdf(doc, tmp_path / "long.pdf")
    words = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split()
    for k in range(1, 61):
        assert f"NGV007{k:03d}" in words and f"DEMO-{k:03d}" in words
