"""A file option or argument, as typed: a name ending in a path separator names a folder (issue 17).

typer reads a `Path` option through `pathlib.Path`, which drops a trailing "/": `export newdir/`
and `--plot out/` wrote a file called ``newdir`` or ``out`` beside where the user meant. The
option's text is read here, before that, and a folder-looking name is refused; `files.writable`
then checks the place itself (folder exists and is writable, the name is not a folder)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

SEPARATORS = tuple({"/", os.sep})


def file_path(text: str) -> Path:
    """The file `text` names, or a `typer.BadParameter` (one line, exit 2) when it ends in a
    separator: a folder, where a file name was wanted."""
    if text.endswith(SEPARATORS):
        raise typer.BadParameter(
            f"{text!r} ends with {text[-1]!r}, so it names a folder: give a file name in it"
        )
    return Path(text)
