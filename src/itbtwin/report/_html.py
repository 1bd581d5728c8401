"""One self-contained HTML file from a `Document`: inline CSS, figures as base64 PNG, no URLs.

Every piece of text goes through `html.escape`; the only links are anchors inside the page (the
contents list and the source keys, which jump to their row under "Sources").
"""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

from matplotlib.figure import Figure

from itbtwin.display import format_date, format_datetime, format_value, human_label, in_words
from itbtwin.files import writable, write_private
from itbtwin.report._column_widths import colgroup
from itbtwin.report._document import (
    Block,
    Document,
    FigureBlock,
    Paragraph,
    ReasonList,
    Section,
    Table,
    citation,
    finished,
    running_header,
)

FIGURE_DPI = 110
"""Resolution of the embedded PNG figures (dots per inch)."""
WIDE_COLUMNS = 10
"""A table of this many columns or more is wide: smaller type and its first column kept in view
on screen, and its section printed on landscape pages (PDF), heading included."""

_STYLE = """
body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",sans-serif;max-width:62rem;
 margin:2rem auto;padding:0 1rem;color:#1d2327;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2.2rem}
.subtitle{color:#57606a;margin-top:0}
.table-box{max-width:100%;margin:.6rem 0 1rem}
table{border-collapse:collapse;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:.25rem .55rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}caption{text-align:left;font-weight:600;padding:.3rem 0}
td:first-child{white-space:nowrap}.wide table{font-size:.8rem}.wide th,.wide td{padding:.2rem .4rem}
@media screen{.table-box{overflow-x:auto}
 .wide th:first-child,.wide td:first-child{position:sticky;left:0;background:#fff;z-index:1}
 .wide th:first-child{background:#f6f8fa}}
figure{margin:1rem 0}
figure img{max-width:100%;height:auto;box-sizing:border-box;border:1px solid #eaeef2}
figcaption{font-size:.85rem;color:#57606a}
ul.reasons{list-style:none;padding-left:0}ul.reasons li{margin:.25rem 0}
.verdict{display:inline-block;min-width:3.2rem;text-align:center;border-radius:3px;
 font-size:.75rem;font-weight:700;padding:0 .3rem;margin-right:.4rem;text-transform:uppercase}
.verdict-pass{background:#dafbe1;color:#116329}.verdict-warn{background:#fff8c5;color:#7d4e00}
.verdict-block{background:#ffebe9;color:#a40e26}
.rule{color:#57606a;font-size:.85rem}nav ol{columns:2}td.key code{font-size:.75rem;color:#57606a}
.running{display:none}
@page{size:A4;margin:20mm 14mm 18mm 14mm;
 @top-left{content:element(running);vertical-align:bottom;padding-bottom:3mm}
 @bottom-right{content:"page " counter(page) " of " counter(pages);font-size:8pt;color:#57606a;
  vertical-align:top;padding-top:4mm}}
@page wide{size:A4 landscape}
@media print{body{max-width:none;margin:0;padding:0;font-size:9pt}nav{display:none}
 .running{display:block;position:running(running);font-size:8pt;color:#57606a;
  border-bottom:1px solid #d0d7de;width:100%}
 h1{font-size:16pt}h2{font-size:12pt;margin-top:1.2rem;break-after:avoid}
 table{width:100%;font-size:7.5pt}table.long{table-layout:fixed}
 th,td{padding:.1rem .25rem;overflow-wrap:break-word}
 section.wide{page:wide}.wide table{font-size:7pt}
 thead{display:table-header-group}tr,figure,ul.reasons li{break-inside:avoid}
 figure img{max-height:22cm;border:0}
 a{color:inherit;text-decoration:none}}
"""


def figure_png(figure: Figure, dpi: int = FIGURE_DPI) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def anchor(text: str) -> str:
    """A fragment id made of lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _source_link(key: str) -> str:
    parts = [p.strip() for p in key.split("+")]
    return " + ".join(
        f'<a href="#src-{anchor(p)}" title="{html.escape(citation(p))}">{html.escape(p)}</a>'
        for p in parts
    )


ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")
"""A date or date-time written the machine way (records rows carry them as ISO text)."""


def cell_text(value: object) -> str:
    """A table cell for a person: ISO dates and times in the one date format, numbers plain."""
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value.strip()):
        text = value.strip()
        return format_date(text) if len(text) == 10 else format_datetime(text)
    return format_value(value)


def _table(block: Table, sources: bool) -> str:
    caption = f"<caption>{html.escape(block.title)}</caption>" if block.title else ""
    labels = [human_label(h) for h in block.header]
    head = "".join(f"<th>{html.escape(label)}</th>" for label in labels)
    texts = [[cell_text(value) for value in row] for row in block.rows]
    rows = []
    for row, row_texts in zip(block.rows, texts, strict=True):
        cells = []
        for name, value, text in zip(block.header, row, row_texts, strict=False):
            if sources and name == "key":
                cells.append(f'<td id="src-{anchor(text)}"><code>{html.escape(text)}</code></td>')
            elif name == "source" and value:
                cells.append(f"<td>{_source_link(text)}</td>")
            elif name == "key":  # a model's own key, small, beside the label a clinician reads
                cells.append(f'<td class="key"><code>{html.escape(text)}</code></td>')
            else:
                cells.append(f"<td>{html.escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    wide = " wide" if len(block.header) >= WIDE_COLUMNS else ""
    widths = colgroup(labels, texts)
    kind = ' class="long"' if widths else ""
    return (
        f'<div class="table-box{wide}"><table{kind}>{caption}{widths}<thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _reasons(block: ReasonList) -> str:
    title = f"<h3>{html.escape(block.title)}</h3>" if block.title else ""
    items = "".join(
        f'<li><span class="verdict verdict-{html.escape(r.verdict.value)}">'
        f"{html.escape(r.verdict.value)}</span>{html.escape(r.text)} "
        f'<span class="rule">({html.escape(in_words(r.rule))}; source {_source_link(r.source)})'
        "</span></li>"
        for r in block.reasons
    )
    return f'{title}<ul class="reasons">{items}</ul>'


def _block(block: Block, sources: bool) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{html.escape(block.text)}</p>"
    if isinstance(block, Table):
        return _table(block, sources)
    if isinstance(block, ReasonList):
        return _reasons(block)
    assert isinstance(block, FigureBlock)
    data = base64.b64encode(figure_png(block.figure)).decode("ascii")
    caption = html.escape(block.caption)
    return (
        f'<figure><img alt="{caption}" src="data:image/png;base64,{data}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _section(section: Section) -> str:
    sources = section.title == "Sources"
    body = "".join(_block(b, sources) for b in section.blocks)
    title = html.escape(section.title)
    wide = any(isinstance(b, Table) and len(b.header) >= WIDE_COLUMNS for b in section.blocks)
    kind = ' class="wide"' if wide else ""
    return f'<section id="{anchor(section.title)}"{kind}><h2>{title}</h2>{body}</section>'


def render_html(doc: Document) -> str:
    """The whole page as one string (UTF-8 text, no external resources)."""
    sections = finished(doc)
    meta = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(format_value(v))}</td></tr>"
        for k, v in doc.metadata.items()
    )
    contents = "".join(
        f'<li><a href="#{anchor(s.title)}">{html.escape(s.title)}</a></li>' for s in sections
    )
    subtitle = f'<p class="subtitle">{html.escape(doc.subtitle)}</p>' if doc.subtitle else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(doc.title)}</title><style>{_STYLE}</style></head><body>"
        f'<div class="running">{html.escape(running_header(doc))}</div>'
        f"<header><h1>{html.escape(doc.title)}</h1>{subtitle}"
        f"<div class='table-box'><table class='meta'><tbody>{meta}</tbody></table></div></header>"
        f"<nav><h2>Contents</h2><ol>{contents}</ol></nav>"
        f"<main>{''.join(_section(s) for s in sections)}</main></body></html>\n"
    )


def write_html(doc: Document, path: str | Path) -> Path:
    """Write the document as one self-contained HTML file; return the path."""
    path = writable(path, "report")
    write_private(path, render_html(doc))  # a report names patients: readable by its owner
    return path
