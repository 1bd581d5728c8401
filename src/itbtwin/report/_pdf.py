"""A PDF of a `Document` with matplotlib alone (`PdfPages`): no system libraries needed.

Page order: a title page (title, subtitle, metadata, contents), the text of every section
(paragraphs, tables as fixed-width text, reasons) flowed over A4 pages, one page per figure,
and last the "Sources" pages. `pdf_page_count` tells how many pages a document takes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from itbtwin.report._document import (
    Document,
    FigureBlock,
    Paragraph,
    ReasonList,
    Section,
    Table,
    finished,
    show,
)

A4_IN = (8.27, 11.69)
"""Page size (inches)."""
LINES_PER_PAGE = 64
"""Text lines per A4 page at 8 pt monospace."""
WIDTH_CHARS = 100
"""Characters per line at 8 pt monospace within the margins."""
_CELL_MAX = 48

Line = tuple[str, str]
"""(style, text): style is ``h1``, ``h2``, ``h3`` or ``body``."""


def _wrap(text: str, width: int = WIDTH_CHARS, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width, subsequent_indent=indent) or [""]


def _table_lines(table: Table) -> list[Line]:
    cells = [list(table.header), *([show(c) for c in row] for row in table.rows)]
    count = len(table.header)
    widths = [
        min(_CELL_MAX, max(len(str(r[i])) if i < len(r) else 0 for r in cells))
        for i in range(count)
    ]
    spare = WIDTH_CHARS - sum(widths) - 2 * (count - 1)
    if spare < 0:  # shrink the widest column to fit the line
        widest = widths.index(max(widths))
        widths[widest] = max(8, widths[widest] + spare)
    out: list[Line] = [("h3", table.title)] if table.title else []
    for n, row in enumerate(cells):
        wrapped = [_wrap(str(row[i]) if i < len(row) else "", widths[i]) for i in range(count)]
        for k in range(max(len(w) for w in wrapped)):
            parts = [(w[k] if k < len(w) else "").ljust(widths[i]) for i, w in enumerate(wrapped)]
            out.append(("body", "  ".join(parts).rstrip()))
        if n == 0:
            out.append(("body", "  ".join("-" * w for w in widths)))
    return [*out, ("body", "")]


def section_lines(section: Section) -> list[Line]:
    """The text of a section as styled lines (figures excluded)."""
    lines: list[Line] = [("h2", section.title), ("body", "")]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            lines += [("body", t) for t in _wrap(block.text)] + [("body", "")]
        elif isinstance(block, Table):
            lines += _table_lines(block)
        elif isinstance(block, ReasonList):
            lines += [("h3", block.title)] if block.title else []
            for r in block.reasons:
                text = f"[{r.verdict.value.upper()}] {r.text} ({r.rule}; source {r.source})"
                lines += [("body", t) for t in _wrap(text, indent="       ")]
            lines.append(("body", ""))
        elif isinstance(block, FigureBlock):
            lines += [("body", t) for t in _wrap(f"[figure: {block.caption}; see figure pages]")]
    return lines


def _pages(lines: list[Line]) -> list[list[Line]]:
    return [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


def _layout(doc: Document) -> tuple[list[list[Line]], list[FigureBlock], list[list[Line]]]:
    sections = finished(doc)
    text = [line for s in sections[:-1] for line in section_lines(s)]
    return _pages(text), doc.figures(), _pages(section_lines(sections[-1]))


def pdf_page_count(doc: Document) -> int:
    """Pages the PDF of ``doc`` has: title, text pages, one per figure, sources pages."""
    text, figures, sources = _layout(doc)
    return 1 + len(text) + len(figures) + len(sources)


_STYLES = {
    "h1": {"fontsize": 18, "weight": "bold", "family": "sans-serif"},
    "h2": {"fontsize": 11, "weight": "bold", "family": "sans-serif"},
    "h3": {"fontsize": 9, "weight": "bold", "family": "sans-serif"},
    "body": {"fontsize": 8, "family": "monospace"},
}


def _text_page(lines: list[Line], footer: str) -> Figure:
    page = Figure(figsize=A4_IN)
    top, step = 0.95, 0.9 / LINES_PER_PAGE
    for n, (style, text) in enumerate(lines):
        page.text(0.07, top - n * step, text, va="top", **_STYLES[style])
    page.text(0.5, 0.03, footer, ha="center", fontsize=7, color="0.4")
    return page


def _title_page(doc: Document, sections: list[Section]) -> Figure:
    lines: list[Line] = [("h1", doc.title), ("body", "")]
    lines += [("h3", t) for t in _wrap(doc.subtitle, 90)] if doc.subtitle else []
    lines.append(("body", ""))
    width = max((len(k) for k in doc.metadata), default=0)
    for key, value in doc.metadata.items():
        lines += [("body", t) for t in _wrap(f"{key.ljust(width)}  {show(value)}")]
    lines += [("body", ""), ("h2", "Contents")]
    lines += [("body", f"{n}. {s.title}") for n, s in enumerate(sections, start=1)]
    return _text_page(lines[:LINES_PER_PAGE], doc.title)


def write_pdf(doc: Document, path: str | Path) -> Path:
    """Write the document as a PDF (A4 text pages, then figures, then sources); return the path."""
    path = Path(path)
    text, figures, sources = _layout(doc)
    with PdfPages(path, metadata={"Title": doc.title, "Creator": "itbtwin"}) as pdf:
        pdf.savefig(_title_page(doc, finished(doc)))
        for lines in text:
            pdf.savefig(_text_page(lines, doc.title))
        for block in figures:
            caption = block.figure.text(0.01, 0.005, block.caption, fontsize=7, color="0.3")
            pdf.savefig(block.figure)
            caption.remove()
        for lines in sources:
            pdf.savefig(_text_page(lines, doc.title))
    return path
