"""Files with patient data: created readable by their owner only (issue 17 point 5).

A clinic's exports (JSON, FHIR, NONMEM), reports and education sheets name patients; on a shared
machine a file made with the usual 0644 can be read by every user. These helpers create the file
0600 (an existing file keeps its mode, as the user may have widened it on purpose) and turn an
unwritable place into a one-line `RecordError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from itbtwin.errors import RecordError
from itbtwin.user_files import not_a_file


def writable(path: str | Path, what: str) -> Path:
    """`path` if a `what` file (report, plot, sheet...) can be written there, else a one-line
    `RecordError`: its folder must exist (a mistyped folder is not created), be a folder and be
    writable, and `path` must not be a folder itself (issue 17 point 3)."""
    path = Path(path)
    folder = path.parent
    if path.name == "-":
        raise RecordError(f"the {what} '-' is not a file name: give one (no standard output here)")
    if not path.name.isprintable():  # "b\n.db" was written, a name no listing shows whole
        raise RecordError(
            f"the {what} file name {path.name!r} holds a control character (a newline or an "
            "escape code): give a plain name"
        )
    try:
        longest = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        longest = 255  # most file systems (ext4, APFS, NTFS)
    if len(os.fsencode(path.name)) > longest:
        raise RecordError(
            f"the {what} file name {path.name[:40] + '…'!r} is longer than {longest} bytes, the "
            "most a file name may be here"
        )
    if path.is_dir():
        raise RecordError(f"the {what} {str(path)!r} is a folder: give a file name")
    if path.exists() and (kind := not_a_file(path.stat().st_mode)):
        raise RecordError(f"the {what} {str(path)!r} is {kind}, not a file: give a file name")
    if not folder.is_dir():
        missing = "is a file, not a folder" if folder.exists() else "does not exist"
        raise RecordError(f"cannot write the {what} {str(path)!r}: the folder {missing}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RecordError(f"cannot write the {what} {str(path)!r}: the folder is not writable")
    return path


def not_a_link(path: Path) -> Path:
    """`path`, or a `RecordError` when it is a symbolic link: a planted link sent a report over
    another file (issue 17); `open_private` opens with O_NOFOLLOW too, and the plots, which
    matplotlib and Plotly open themselves, check here first."""
    if path.is_symlink():
        raise RecordError(
            f"{str(path)!r} is a symbolic link (to {os.readlink(path)!r}): a file with patient "
            "data is never written through a link; give the file's own path"
        )
    return path


@contextmanager
def open_private(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open `path` for writing (text ``"w"`` or binary ``"wb"``), created 0600 if new; a place
    that cannot be written (`writable`) or a write that fails (a full disk) is a `RecordError`."""
    path = not_a_link(writable(path, "file"))
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(path, flags, 0o600)
    except OSError as err:
        raise RecordError(f"cannot write {str(path)!r}: {err.strerror}") from None
    text = "b" not in mode
    try:
        with os.fdopen(
            descriptor, mode, **({"encoding": "utf-8", "newline": ""} if text else {})
        ) as f:
            yield f
    except OSError as err:
        raise RecordError(f"cannot write {str(path)!r}: {err.strerror or err}") from None


def write_private(path: Path, content: str | bytes) -> None:
    """Write `content` to `path`, created 0600 if new."""
    with open_private(path, "wb" if isinstance(content, bytes) else "w") as out:
        out.write(content)
