"""The PDF of a `Document`: the report's own HTML laid out on A4 pages by WeasyPrint.

The PDF is the HTML page printed (same sections, tables and figures, made by `render_html`), laid
out by its print stylesheet: A4 portrait, a running header with the report's title and date,
"page N of M" at the foot, tables of `WIDE_COLUMNS` or more columns on landscape pages, figures
inline and no wider than the text. WeasyPrint needs the system's Pango library; where it cannot
load, `ReportEngineMissing` says so in one line and what to install (docs/reports.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itbtwin.errors import ReportEngineMissing
from itbtwin.files import open_private, writable
from itbtwin.report._document import Document
from itbtwin.report._html import render_html

INSTALL_HINT = (
    "install WeasyPrint's system libraries (Debian/Ubuntu: apt-get install libpango-1.0-0 "
    "libpangoft2-1.0-0; see docs/reports.md)"
)
"""What a user does when the engine cannot load."""


def pdf_engine() -> Any:
    """The `weasyprint` module, or `ReportEngineMissing` naming why it cannot load."""
    try:
        import weasyprint
    except (ImportError, OSError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ReportEngineMissing(
            f"PDF not written: the PDF engine WeasyPrint cannot load ({reason}); {INSTALL_HINT}"
        ) from None
    return weasyprint


def _rendered(doc: Document) -> Any:
    """The laid-out pages of the document's HTML (a `weasyprint.Document`)."""
    return pdf_engine().HTML(string=render_html(doc)).render()


def html_to_pdf(page: str, path: str | Path) -> Path:
    """Print one self-contained HTML page (its own print stylesheet) to a PDF; return the path.

    For pages not made from a `Document`, such as the patient's education sheet, and for a
    `Document`'s page already rendered for its HTML file (the demo's clinic report)."""
    path = writable(path, "PDF")
    engine = pdf_engine()
    with open_private(path, "wb") as out:  # a sheet names its patient: readable by its owner
        engine.HTML(string=page).write_pdf(out)
    return path


def pdf_page_count(doc: Document) -> int:
    """How many A4 pages the PDF of ``doc`` takes."""
    return len(_rendered(doc).pages)


def write_pdf(doc: Document, path: str | Path) -> Path:
    """Write the document as an A4 PDF of its HTML; return the path.

    Raises `ReportEngineMissing` (nothing written) when WeasyPrint cannot load.
    """
    path = writable(path, "PDF")
    rendered = _rendered(doc)
    with open_private(path, "wb") as out:  # a report names patients: readable by its owner
        rendered.write_pdf(out)
    return path
