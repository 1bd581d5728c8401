"""Paths and messages as the user wrote them: never Rich markup, always one line.

A folder named ``[red]x`` or ``[link=...]`` is a legal name; printed as it is, Rich would restyle
or hide part of it, and a newline in a name would split the line (issue 17). Every line that
quotes a path or a message goes through `shown`, as table cells do (`_output.cell`).
"""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape

from itbtwin.cli._app import console, one_line


def shown(text: object) -> str:
    """`text` for a Rich console: markup escaped, control characters written out."""
    return escape(one_line(str(text)))


def print_written(what: str, path: str | Path) -> None:
    """Print "WHAT written to PATH" with the path as written."""
    console.print(f"{what} written to {shown(path)}", highlight=False, soft_wrap=True)
