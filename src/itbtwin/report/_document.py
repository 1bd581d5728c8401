"""A tiny document model shared by the HTML and PDF writers: sections of blocks, and its sources.

A `Document` is a title, a subtitle, metadata (label → text) and ordered `Section`s; a section
holds blocks in order: `Paragraph`, `Table`, `FigureBlock` (a matplotlib `Figure`) and
`ReasonList` (clinic `Reason`s). Builders take domain objects and return a `Document`; writers
(`write_html`, `write_pdf`) never compute. Every document ends with a "Sources" section
(`sources_section`) that resolves each source key its reasons and tables use (`itbtwin.sources`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from matplotlib.figure import Figure

from itbtwin import sources
from itbtwin.clinic import Reason
from itbtwin.display import format_value

SOURCE_COLUMN = "source"
"""A table column with this header holds source keys; they are listed under Sources."""


@dataclass(frozen=True)
class Paragraph:
    """Plain text (escaped by the writers, never markup)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table: `header` (column names, units in them) and `rows` of cells; a `title` above."""

    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    title: str = ""

    def source_keys(self) -> list[str]:
        """The keys in a column headed ``source`` (empty cells skipped)."""
        if SOURCE_COLUMN not in self.header:
            return []
        column = self.header.index(SOURCE_COLUMN)
        return [str(row[column]) for row in self.rows if len(row) > column and row[column]]


@dataclass(frozen=True)
class FigureBlock:
    """A matplotlib figure with a caption (alt text in HTML)."""

    figure: Figure
    caption: str


@dataclass(frozen=True)
class ReasonList:
    """Rules that fired, each with verdict, sentence, rule name and source key."""

    reasons: tuple[Reason, ...]
    title: str = ""


Block = Paragraph | Table | FigureBlock | ReasonList


@dataclass
class Section:
    """A titled run of blocks; the add methods return the section for chaining."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def paragraph(self, text: str) -> Section:
        """Add a paragraph of plain text."""
        self.blocks.append(Paragraph(text))
        return self

    def table(
        self, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = ""
    ) -> Section:
        """Add a table; a column headed ``source`` holds source keys."""
        self.blocks.append(Table(tuple(header), tuple(tuple(r) for r in rows), title))
        return self

    def figure(self, figure: Figure, caption: str) -> Section:
        """Add a matplotlib figure with its caption."""
        self.blocks.append(FigureBlock(figure, caption))
        return self

    def reasons(self, reasons: Iterable[Reason], title: str = "") -> Section:
        """Add a list of reasons (rules that fired)."""
        self.blocks.append(ReasonList(tuple(reasons), title))
        return self


@dataclass
class Document:
    """A report: `title`, `subtitle`, `metadata` (label → text), `sections`, extra `cited` keys."""

    title: str
    subtitle: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)

    def section(self, title: str) -> Section:
        """Append a new, empty section and return it."""
        section = Section(title)
        self.sections.append(section)
        return section

    def cite(self, *keys: str) -> None:
        """Record source keys used by numbers that no table or reason names."""
        self.cited.extend(keys)

    def figures(self) -> list[FigureBlock]:
        """Every figure, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, FigureBlock)]

    def source_keys(self) -> list[str]:
        """Every single source key used (``a+b`` split), sorted, each once."""
        keys: list[str] = list(self.cited)
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, ReasonList):
                    keys += [r.source for r in block.reasons]
                elif isinstance(block, Table):
                    keys += block.source_keys()
        parts = {p.strip() for key in keys for p in key.split("+") if p.strip()}
        return sorted(parts)


def citation(key: str) -> str:
    """The full reference of one key, or a note when the reference list lacks it."""
    try:
        return sources.resolve(key)
    except KeyError:
        return "not in the list of sources (docs/sources.md)"


def sources_section(doc: Document) -> Section:
    """The closing "Sources" section: one row per source key the document uses."""
    section = Section("Sources")
    keys = doc.source_keys()
    section.paragraph(
        "Every rule and number above names a source key; 'derived' marks arithmetic on sourced "
        "inputs and 'assumption' a modelling choice the references do not settle."
    )
    section.table(("key", "reference"), [(key, citation(key)) for key in keys])
    return section


def finished(doc: Document) -> list[Section]:
    """The sections to write: the document's own, then "Sources" (added once)."""
    own = [s for s in doc.sections if s.title != "Sources"]
    return [*own, sources_section(doc)]


def running_header(doc: Document) -> str:
    """The line printed at the top of every PDF page: the title, the clinic (when the title does
    not name it) and the report's date."""
    parts = [doc.title]
    clinic = str(doc.metadata.get("clinic", ""))
    if clinic and clinic.split(",")[0] not in doc.title:
        parts.append(clinic)
    when = doc.metadata.get("as of") or doc.metadata.get("generated")
    if when is not None:
        parts.append(format_value(when))
    return " · ".join(parts)


def columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The keys of a list of record dicts, in first-seen order (a table's header)."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return list(names)


def itbtwin_version() -> str:
    """The installed itbtwin version, shown in every report's metadata."""
    try:
        return metadata.version("itbtwin")
    except metadata.PackageNotFoundError:
        return "development"
