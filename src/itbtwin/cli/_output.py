"""Shared output helpers of the CLI: JSON for scripts, Rich tables for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from itbtwin.cli._app import console
from itbtwin.display import Markup, format_number, format_value

if TYPE_CHECKING:
    from itbtwin.clinic import Reason


def _plain(value: Any) -> Any:
    np = sys.modules.get("numpy")  # a NumPy value exists only if NumPy was imported (issue 13)
    if np is not None and isinstance(value, np.ndarray):
        return value.tolist()
    if np is not None and isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(payload: Any) -> None:
    """Print one JSON document on stdout (numpy arrays become lists)."""
    print(json.dumps(payload, default=_plain, allow_nan=False))


def cell(value: Any) -> str:
    """A table cell for people: floats to 4 significant digits and never in scientific notation,
    dates and moments in the one clinical format (`itbtwin.display`)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, float):
        return format_number(value, digits=4)
    return escape(format_value(value))


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a Rich table of `cell`s."""
    table = Table(title=escape(title), title_justify="left")  # titles hold names users typed
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(cell(c) for c in row))
    console.print(table)


def print_reasons(reasons: list[Reason]) -> None:
    """One line per rule that fired: verdict, sentence, rule name and source."""
    for r in reasons:
        console.print(
            escape(f"[{r.verdict.value}] {r.text} ({r.rule}; source {r.source})"), highlight=False
        )
