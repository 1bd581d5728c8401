"""Reading a file a user gives: size capped, UTF-8 checked, TOML and JSON parsed with bounds.

Every reader of a user's file (scenario, device, trial, screening, forecast and risk TOML, the
clinic's JSON and FHIR imports) comes through here, so a binary, UTF-16, non-UTF-8, truncated,
huge, deeply nested or out-of-range file is one line in the reader's own `ItbError` naming the
file and what is expected (issue 17 point 1), never a traceback, a hang or a `MemoryError`.
The limits and their reasons are listed in docs/limits.md.
"""

from __future__ import annotations

import json
import math
import os
import stat
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from itbtwin.errors import ItbError

TOML_LIMIT_BYTES = 1_000_000
"""A TOML input (scenario, device list, trial, history) is hand-written: the largest example is
under 10 kB, so 1 MB leaves a hundredfold margin and stops a wrong or hostile file early."""
JSON_LIMIT_BYTES = 200_000_000
"""A clinic export of 1,000 patients with years of refills is about 20 MB; 200 MB allows ten
such clinics while the parsed document still fits in memory (about ten times the file)."""
MAX_DEPTH = 64
"""Nesting depth of tables/arrays/objects: the deepest real document (a FHIR bundle) is under 12."""
MAX_INTEGER = 2**63 - 1
"""The largest integer any field can hold (SQLite and NumPy store 64-bit integers)."""


def read_text(path: str | Path, what: str, error: type[ItbError], limit: int) -> str:
    """The UTF-8 text of the `what` file at `path`, at most `limit` bytes, or `error`."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer (issue 17)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise error(f"cannot read the {what} {str(path)!r}: {err.strerror or err}") from None
    kind = not_a_file(os.fstat(descriptor).st_mode)
    if kind:
        os.close(descriptor)
        raise error(f"the {what} {str(path)!r} is {kind}, not a file: give a saved file")
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(limit + 1)
        except OSError as err:
            raise error(f"cannot read the {what} {str(path)!r}: {err.strerror or err}") from None
    if len(data) > limit:
        raise error(
            f"the {what} {str(path)!r} is larger than {limit / 1e6:g} MB, the most a {what} "
            "may be (docs/limits.md)"
        )
    return decode(data, f"the {what} {str(path)!r}", error)


def not_a_file(mode: int) -> str | None:
    """What a file that is not a regular file is (a pipe or a device never ends, or waits for
    a writer: reading it would hang or fill memory), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket"


def decode(data: bytes, where: str, error: type[ItbError]) -> str:
    """UTF-8 text from `data` (a leading byte-order mark is allowed), or `error` saying why not."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise error(f"{where} is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise error(f"{where} is a binary file, not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        byte = data[err.start]
        raise error(
            f"{where} is not UTF-8 text (byte 0x{byte:02X} at offset {err.start}); save it as UTF-8"
        ) from None


def parse_toml(text: str, where: str, error: type[ItbError]) -> dict[str, Any]:
    """The TOML document in `text`, its nesting and numbers checked (`check_structure`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise error(f"{where} is not valid TOML: {err}") from None
    except ValueError as err:  # an integer of thousands of digits (int_max_str_digits)
        raise error(f"{where} is not usable TOML: {_short(err)}") from None
    except RecursionError:
        raise error(f"{where} nests arrays or tables deeper than {MAX_DEPTH} levels") from None
    check_structure(data, where, error)
    return data


def parse_json(text: str, where: str, error: type[ItbError]) -> Any:
    """The JSON document in `text`: NaN and Infinity refused, integers of at most 64 bits."""

    def constant(name: str) -> Any:
        raise error(f"{where} holds {name}, which is not a number JSON allows")

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > 19 or abs(value := int(digits)) > MAX_INTEGER:
            raise error(f"{where} holds the integer {digits[:20]}…, beyond 64 bits")
        return value

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """An object whose keys are each given once: Python keeps the last of two silently
        (`"weight_kg": 76, "weight_kg": 762`, issue 17), TOML refuses them."""
        data = dict(pairs)
        if len(data) < len(pairs):
            twice = next(k for i, (k, _) in enumerate(pairs) if k in dict(pairs[:i]))
            raise error(f"{where} gives the key {twice[:40]!r} twice in one object")
        return data

    try:
        data = json.loads(
            text, parse_constant=constant, parse_int=integer, object_pairs_hook=unique
        )
    except json.JSONDecodeError as err:
        raise error(
            f"{where} is not JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    except RecursionError:
        raise error(f"{where} nests arrays or objects deeper than {MAX_DEPTH} levels") from None
    check_structure(data, where, error)
    return data


def check_structure(data: Any, where: str, error: type[ItbError]) -> None:
    """Refuse nesting deeper than `MAX_DEPTH`, integers beyond 64 bits, NaN or infinities and
    keys with control characters (a newline or a terminal escape code in a name)."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, field, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise error(f"{where} nests arrays or tables deeper than {MAX_DEPTH} levels")
        items: Any = ()
        if isinstance(value, dict):
            odd = next((k for k in value if not str(k).isprintable()), None)
            if odd is not None:
                raise error(
                    f"{where}, {field or 'top level'}: the key {odd!r} holds a control character"
                )
            items = ((f"{field}.{k}" if field else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            items = ((f"{field}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and abs(value) > MAX_INTEGER:
            raise error(f"{where}, {field or 'value'}: an integer beyond 64 bits")
        elif isinstance(value, float) and not math.isfinite(value):
            raise error(f"{where}, {field or 'value'}: {value} is not a finite number")
        stack.extend((v, f, depth + 1) for f, v in items)


def load_toml(path: str | Path, what: str, error: type[ItbError]) -> dict[str, Any]:
    """Read and parse the `what` TOML file at `path` (at most `TOML_LIMIT_BYTES`)."""
    text = read_text(path, what, error, TOML_LIMIT_BYTES)
    return parse_toml(text, f"the {what} {str(path)!r}", error)


@contextmanager
def naming(path: str | Path) -> Iterator[None]:
    """Put the file's name first in an `ItbError` raised inside, as a command may read many."""
    try:
        yield
    except ItbError as err:
        if str(path) not in str(err):
            err.args = (f"{path}: {err}",)
        raise


def _short(err: Exception) -> str:
    return str(err).split(";")[0][:200]
