"""Reading scenario TOML: typed fields with units, errors that name the field and its line.

`tomllib` gives no positions, so `line_index` scans the text for tables, arrays of tables and keys
(inline tables in arrays included) and maps each key path to its line. `Section` reads one table,
records the value in canonical form (so a saved scenario loads back unchanged) and refuses keys it
does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from itbtwin.errors import ItbError, ScenarioError
from itbtwin.units import KINDS, parse_quantity

Path = tuple[str | int, ...]
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
_INLINE_KEY = re.compile(r"([A-Za-z0-9_\-]+)\s*=")
UNITS = {name: kind.canonical.replace(" ", "") for name, kind in KINDS.items()}
UNITS["duration"] = UNITS["time"] = "h"


def line_index(text: str) -> dict[Path, int]:
    """Map key paths such as ``("program", 1, "steps", 0, "rate")`` to 1-based line numbers."""
    index: dict[Path, int] = {}
    counts: dict[tuple, int] = {}
    table: Path = ()
    array_key: str | None = None
    depth = inline = 0
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0]
        if array_key is not None:
            if "{" in code:
                for inner in _INLINE_KEY.findall(code):
                    index[(*table, array_key, inline, inner)] = number
                index[(*table, array_key, inline)] = number
                inline += 1
            depth += code.count("[") - code.count("]")
            if depth <= 0:
                array_key = None
            continue
        header = _HEADER.match(code)
        if header:
            parts = tuple(header.group(2).split("."))
            parent = _resolve(parts[:-1], counts)
            if header.group(1) == "[[":
                key = (*parent, parts[-1])
                counts[key] = counts.get(key, -1) + 1
                table = (*key, counts[key])
            else:
                table = (*parent, parts[-1])
            index.setdefault(table, number)
            continue
        key = _KEY.match(code)
        if key:
            value = code.split("=", 1)[1]
            index[(*table, key.group(1))] = number
            for i, inner in enumerate(value.split("{")[1:]):
                for name in _INLINE_KEY.findall(inner):
                    index.setdefault((*table, key.group(1), i, name), number)
                    index.setdefault((*table, key.group(1), name), number)
            depth = value.count("[") - value.count("]")
            if depth > 0:
                array_key, inline = key.group(1), 0
    return index


def _resolve(parts: tuple[str, ...], counts: dict[tuple, int]) -> Path:
    """Turn a dotted header prefix into a path, entering the latest element of arrays."""
    path: Path = ()
    for part in parts:
        path = (*path, part)
        if path in counts:
            path = (*path, counts[path])
    return path


def dotted(path: Path) -> str:
    """``program[1].steps[0].rate`` from a key path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


TYPE_WORDS = {
    str: "text in quotes",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list [...]",
}
"""How a scenario's value types are named in an error (a user reads TOML, not Python)."""


def _in_words(kinds: tuple[type, ...]) -> str:
    """`(int, float)` as "a whole number or a number" -> "a number" (issue 17: the error
    printed "(<class 'int'>, <class 'float'>)")."""
    words = [TYPE_WORDS.get(kind, kind.__name__) for kind in kinds]
    if "a number" in words:
        words = [w for w in words if w != "a whole number"]
    return " or ".join(words)


def _shown(value: Any) -> str:
    """A wrong value as the error quotes it: TOML's spelling, at most 40 characters."""
    text = "true" if value is True else "false" if value is False else repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


class Section:
    """One table of a scenario being read; `out` collects the canonical values."""

    def __init__(self, data: dict[str, Any], path: Path, lines: dict[Path, int]) -> None:
        self.data, self.path, self.lines, self.out = data, path, lines, {}
        self._seen: set[str] = set()

    def line(self, key: str | int | None = None) -> int | None:
        """Line of a key (or of the nearest enclosing table)."""
        path = (*self.path, key) if key is not None else self.path
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def fail(self, message: str, key: str | None = None) -> ScenarioError:
        """An error naming this field and its line (raise it)."""
        field = (*self.path, key) if key is not None else self.path
        return ScenarioError(message, dotted(field), self.line(key))

    @contextmanager
    def guard(self, key: str | None = None) -> Iterator[None]:
        """Turn any itbtwin error raised inside into a `ScenarioError` at this field."""
        try:
            yield
        except ScenarioError:
            raise
        except ItbError as err:
            raise self.fail(str(err), key) from None

    def has(self, key: str) -> bool:
        """True if the key is present."""
        return key in self.data

    def raw(self, key: str, default: Any = ...) -> Any:
        """The value as written (required when no default)."""
        self._seen.add(key)
        if key not in self.data:
            if default is ...:
                raise self.fail(f"missing required key {key!r}", None)
            return default
        return self.data[key]

    def quantity(self, key: str, kind: str, default: float | None = None) -> float:
        """A quantity with a unit, as a canonical float; stored as ``"<value> <unit>"``."""
        value = self.raw(key, ... if default is None else None)
        if value is None:
            return default  # type: ignore[return-value]
        with self.guard(key):
            number = parse_quantity(value, kind)
        self.out[key] = f"{number!r} {UNITS[kind]}"
        return number

    def time(self, start: datetime, key: str = "at") -> float:
        """An elapsed time: a duration (``"36 day"``) or a local TOML date-time."""
        value = self.raw(key)
        if isinstance(value, datetime | date):
            moment = value if isinstance(value, datetime) else datetime(*value.timetuple()[:3])
            local = moment.replace(tzinfo=moment.tzinfo or start.tzinfo)
            hours = (local.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600
            if hours < 0:
                raise self.fail("this date is before the scenario start", key)
            self.out[key] = f"{hours!r} h"
            return hours
        return self.quantity(key, "duration")

    def value(
        self, key: str, types: type | tuple[type, ...], default: Any = ..., choices: tuple = ()
    ) -> Any:
        """A plain value (text, number, flag) of the given type(s), optionally from ``choices``."""
        value = self.raw(key, default)
        if key not in self.data:
            return value
        kinds = types if isinstance(types, tuple) else (types,)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, types):
            raise self.fail(f"expected {_in_words(kinds)}, got {_shown(value)}", key)
        if choices and value not in choices:
            raise self.fail(f"{_shown(value)} is not one of {', '.join(map(str, choices))}", key)
        self.out[key] = value
        return value

    def table(self, key: str, required: bool = False) -> Section | None:
        """A sub-table (its canonical values are stored when it is finished)."""
        value = self.raw(key, ... if required else None)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail("expected a table", key)
        return Section(value, (*self.path, key), self.lines)

    def tables(self, key: str) -> list[Section]:
        """An array of tables (``[[key]]`` or an array of inline tables)."""
        value = self.raw(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail("expected an array of tables", key)
        return [Section(v, (*self.path, key, i), self.lines) for i, v in enumerate(value)]

    def done(self, allowed_extra: tuple[str, ...] = ()) -> dict[str, Any]:
        """Refuse unknown keys; return the canonical values."""
        unknown = set(self.data) - self._seen - set(allowed_extra)
        if unknown:
            key = sorted(unknown)[0]
            raise self.fail(f"unknown key {key!r}", key)
        return self.out
