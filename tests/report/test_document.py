"""The HTML writer: one self-contained HTML file with escaped text and the sources of every
reason (issue 6, item 4); the PDF of the same page is tested in test_pdf.py."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from itbtwin import sources
from itbtwin.clinic import Reason, Verdict
from itbtwin.report import (
    Document,
    ReasonList,
    patient_report,
    render_html,
    write_html,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def page(missed_refill_report: Document, tmp_path_factory) -> str:
    path = write_html(missed_refill_report, tmp_path_factory.mktemp("html") / "r.html")
    return path.read_text(encoding="utf-8")


def _small_document(figures: int = 1) -> Document:
    doc = Document("Small", "a subtitle", {"clinic": "test"})
    section = doc.section("Only section").paragraph("One paragraph.")
    for n in range(figures):
        figure = Figure(figsize=(4, 3))
        figure.subplots().plot([0, 1], [n, n + 1])
        section.figure(figure, f"figure {n}")
    section.reasons([Reason("rule_a", Verdict.WARN, "label:boxed-warning", "a finding")])
    return doc


def test_html_loads_no_external_resource(page: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert "<style>" in page


def test_html_embeds_every_figure_as_a_png_data_uri(page: str, missed_refill_report) -> None:
    images = re.findall(r'<img alt="[^"]*" src="([^"]+)"', page)
    assert len(images) == len(missed_refill_report.figures()) == 4
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG_SIGNATURE)


def test_html_has_the_report_sections_and_tables(page: str) -> None:
    for title in ("Scenario", "Outcome", "Findings", "Figures", "Events", "Sources"):
        assert f">{title}</h2>" in page
    assert page.count("<table>") >= 5
    # 98 h with the issue-14 effect-site link (96 h with one effect compartment), read in days
    # past 48 h (issue 17) with one decimal (h41): 98 / 24 = 4.08 days
    assert "withdrawal signal for 4.1 days" in page
    assert page.rstrip().endswith("</html>")
    assert page.index(">Sources</h2>") > page.index(">Model and device numbers</h2>")


def test_html_lists_the_source_of_every_reason_shown(page: str, missed_refill_report) -> None:
    reasons = [
        r
        for s in missed_refill_report.sections
        for b in s.blocks
        if isinstance(b, ReasonList)
        for r in b.reasons
    ]
    assert reasons
    sources_part = page[page.index(">Sources</h2>") :]
    for reason in reasons:
        assert html.escape(reason.text) in page
        for key in reason.source.split("+"):
            assert f"<code>{key}</code>" in sources_part
            assert html.escape(sources.resolve(key)) in sources_part


def test_html_cites_the_parameter_tables_sources(page: str) -> None:
    sources_part = page[page.index(">Sources</h2>") :]
    for key in ("heetla2016", "label:12.3", "synchromed2:S25", "wesemann2014"):
        assert f"<code>{key}</code>" in sources_part


def test_html_escapes_user_text() -> None:
    doc = Document("<script>alert(1)</script>", "A & B", {"who": '"quoted" <b>'})
    section = doc.section("Notes <i>")
    section.paragraph("5 < 6 & 7 > 3")
    section.table(("name", "note"), [("<img src=x onerror=alert(1)>", "ok")])
    section.reasons([Reason("r", Verdict.PASS, "derived", "<b>bold</b> claim")])
    page = render_html(doc)
    assert "<script>" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "5 &lt; 6 &amp; 7 &gt; 3" in page
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in page
    assert "Notes &lt;i&gt;" in page


def test_document_ends_with_one_sources_section_even_when_rendered_twice() -> None:
    doc = _small_document()
    first, second = render_html(doc), render_html(doc)
    assert first == second
    assert first.count(">Sources</h2>") == 1
    assert doc.source_keys() == ["label:boxed-warning"]


def test_patient_report_adds_the_record_tables(missed_refill, tmp_path: Path) -> None:
    records = {
        "Refills": [
            {"date": "2024-02-21", "injected (mL)": 20.0, "source": "maino2017"},
            {"date": "2024-03-20", "injected (mL)": 19.5, "lot": "A<1>"},
        ],
        "Audit trail": [],
    }
    doc = patient_report(*missed_refill, records, patient={"identifier": "P-001"})
    assert doc.sections[0].title == "Patient"
    page = write_html(doc, tmp_path / "p.html").read_text(encoding="utf-8")
    assert ">Refills</h2>" in page and "No audit trail recorded." in page
    assert "<th>Lot</th>" in page and "A&lt;1&gt;" in page
    assert "<code>maino2017</code>" in page[page.index(">Sources</h2>") :]


def test_issue_15_outcome_and_event_rows_read_in_words_not_machine_keys(page: str) -> None:
    """The twin's outcome rows name the site as a clinician does ("steady state, lumbar CSF")
    (the model-parameter table keeps the model's symbols, such as v_lumbar_ml)."""
    assert "steady state, lumbar CSF" in page
    assert "csf lumbar" not in page.lower()
