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
from typing import Any, NoReturn

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
    found = os.fstat(descriptor)
    kind = not_a_file(found.st_mode)
    if kind or found.st_size > limit:  # the size is checked before a byte is read
        os.close(descriptor)
        if kind:
            raise error(f"the {what} {str(path)!r} is {kind}, not a file: give a saved file")
        _too_large(path, what, error, limit)
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(limit + 1)  # a file that grew since
        except OSError as err:
            raise error(f"cannot read the {what} {str(path)!r}: {err.strerror or err}") from None
    if len(data) > limit:
        _too_large(path, what, error, limit)
    return decode(data, f"the {what} {str(path)!r}", error)


def _too_large(path: Path, what: str, error: type[ItbError], limit: int) -> NoReturn:
    article = "an" if what[:1] in "aeiou" else "a"
    raise error(
        f"the {what} {str(path)!r} is larger than {limit / 1e6:g} MB, the most {article} {what} "
        "may be (docs/limits.md)"
    )


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
    keys with control characters (a newline or a terminal escape code in a name).

    The first walk names no field, so a sound 200 MB import is checked without building a path
    for each of its millions of values (issue 17: 23 s of 50 s); a second walk names the first
    problem's field."""
    if not _sound(data):
        raise error(f"{where}{_first_problem(data)}")


def _sound(data: Any) -> bool:
    """Whether `_first_problem` would find nothing, checked without naming any field."""
    if not isinstance(data, dict | list):
        return _first_problem(data) is None
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if not all(str(k).isprintable() for k in value):
                return False
            value = value.values()
        if depth >= MAX_DEPTH and value:
            return False
        for item in value:
            if isinstance(item, dict | list):
                stack.append((item, depth + 1))
            elif isinstance(item, bool):
                continue
            elif (isinstance(item, int) and abs(item) > MAX_INTEGER) or (
                isinstance(item, float) and not math.isfinite(item)
            ):
                return False
    return True


def _first_problem(data: Any) -> str | None:
    """What `check_structure` refuses first, depth first, after the file's name, with its dotted
    field."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, field, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f" nests arrays or tables deeper than {MAX_DEPTH} levels"
        if isinstance(value, dict):
            odd = next((k for k in value if not str(k).isprintable()), None)
            if odd is not None:
                return f", {field or 'top level'}: the key {odd!r} holds a control character"
            stack.extend((v, f"{field}.{k}" if field else str(k), depth + 1)
                         for k, v in value.items())  # fmt: skip
        elif isinstance(value, list):
            stack.extend((v, f"{field}[{i}]", depth + 1) for i, v in enumerate(value))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and abs(value) > MAX_INTEGER:
            return f", {field or 'value'}: an integer beyond 64 bits"
        elif isinstance(value, float) and not math.isfinite(value):
            return f", {field or 'value'}: {value} is not a finite number"
    return None


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
