"""Column widths of a long table, so the PDF lays it out in one pass (issue 13 §4).

WeasyPrint's automatic table layout measures every cell twice (its narrowest and widest line)
before it places any: about a sixth of the PDF of a 500-patient clinic report. A table of
`LONG_TABLE_ROWS` rows or more is printed with `table-layout: fixed` instead, its columns
sized here in characters from the cell texts the page shows (`column_widths`). The text of the
cells is unchanged; only where lines wrap differs.
"""

from __future__ import annotations

from collections.abc import Sequence

LONG_TABLE_ROWS = 40
"""Rows from which a table's columns are sized here rather than by the PDF engine."""
WIDEST_CHARS = 24
"""A cell's text asks for at most this many characters; longer text wraps."""
TEXT_SHARE = 0.15
"""Share of a cell's text beyond its longest word that its column asks for: words are never
broken, and the columns of long text take the wrapping."""
BOLD = 1.15
"""A header letter (bold) is this much wider than a cell's."""
WIDE_LETTER = 1.2
"""A capital or a digit is this much wider than a lower-case letter (DejaVu Sans)."""
PADDING_CHARS = 1.5
"""The cell's padding and border, in characters."""
USUAL = 0.9
"""Quantile of a column's cells that sizes it."""


def _chars(text: str) -> float:
    """Width of `text` in average letters: capitals and digits are wider than lower case."""
    return sum(WIDE_LETTER if c.isupper() or c.isdigit() else 1.0 for c in text)


def _longest_word(text: str) -> float:
    return max((_chars(word) for word in text.split()), default=0.0)


def _usual(values: list[float]) -> float:
    """The `USUAL` quantile of `values` (0 for none): a rare long value does not widen a column."""
    return sorted(values)[int(USUAL * (len(values) - 1))] if values else 0


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[float]:
    """Each column's share of the table's width (%, summing to 100), from what it asks in
    characters: its longest header word or its cells' usual longest word, plus `TEXT_SHARE` of
    their usual text up to `WIDEST_CHARS`; the first column, which never wraps, its longest
    text."""
    asks = []
    for j, label in enumerate(header):
        cells = [row[j] for row in rows if j < len(row)]
        longest = max((_chars(c) for c in cells), default=0.0)
        word = max(BOLD * _longest_word(label), _usual([_longest_word(c) for c in cells]))
        text = min(_usual([_chars(c) for c in cells]), WIDEST_CHARS)
        ask = longest if j == 0 else word + TEXT_SHARE * max(text - word, 0.0)
        asks.append(max(ask, word) + PADDING_CHARS)
    total = sum(asks)
    return [100 * ask / total for ask in asks]


def colgroup(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The `<colgroup>` of a long table (`column_widths`), or "" for a short one."""
    if len(rows) < LONG_TABLE_ROWS or not header:
        return ""
    cols = "".join(f'<col style="width:{w:.1f}%">' for w in column_widths(header, rows))
    return f"<colgroup>{cols}</colgroup>"
