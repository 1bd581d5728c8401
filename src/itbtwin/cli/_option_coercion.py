"""Option values read without pydantic where there is nothing to convert (issue 13 start-up).

typer 0.29 coerces every option through a pydantic `TypeAdapter`, built when the option is
first processed, even when it was not given (its value is None) or is a flag (a bool): importing
pydantic for it costs ~70 ms of every command's start-up. Most itbtwin options are text
(quantities with their units, identifiers, dates, database URLs: 246 of 380 parameters) parsed
and checked by the command itself, and typer's adapter returns such a string unchanged.

`install` makes typer build each option's coercion only when a value needs one: a missing value
is None (typer's own rule, before any coercion), and a value that already has the option's plain
type (a string for a `str` option, a bool for a flag, a default 8000 for an `int` option) is the
value as typed, when the option has no parser and no range to check; anything else (text to
read as a number, paths, choices, lists, a flag from an environment variable) goes to typer's
own coercion, unchanged. A typer without this builder (before 0.29) is left alone.

A number typed for an `int` or `float` option is one plain decimal number in the digits 0-9
(`PLAIN_NUMBER`) before typer reads it: pydantic, like Python, reads `1_000` as 1000 (a
thousands separator, which the quantities refuse too) and `nan`/`inf` as numbers (issue 17).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, get_args

import typer
import typer.core

try:  # typer's coercion layer (0.29, the lock's version); older typers use click's types
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
except ImportError:  # pragma: no cover - another typer: nothing to replace
    RuntimeParam = None  # type: ignore[assignment,misc]

AS_TYPED = (str, bool, int, float)
"""Annotations whose value, when it already has that type, typer's adapter returns unchanged
(without a parser or a range)."""
PLAIN_NUMBER = {
    int: re.compile(r"\s*[+-]?[0-9]+\s*", re.ASCII),
    float: re.compile(r"\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*", re.ASCII),
}
"""How a typed `int` or `float` option is written: digits 0-9, a sign, a decimal point and an
exponent; no `_`, no other digits (`١٠`), no `nan` or `inf`."""


def check_plain_number(annotation: Any, value: Any) -> None:
    """Refuse text for a number option that is not one plain decimal number (`PLAIN_NUMBER`)."""
    kinds = {annotation, *get_args(annotation)} & set(PLAIN_NUMBER)
    if not isinstance(value, str) or not kinds:
        return
    if not any(PLAIN_NUMBER[kind].fullmatch(value) for kind in kinds):
        whole = kinds == {int}
        raise typer.BadParameter(
            f"{value!r} is not a {'whole ' if whole else ''}number written with the digits 0-9"
            + ("" if whole else " (and a decimal point)")
        )


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class DeferredParam(RuntimeParam):
        """An option's coercion: a value already of its plain type as it is, else typer's."""

        descriptor: TypeDescriptor

        @cached_property
        def typers(self) -> RuntimeParam:
            return build_runtime_param(self.descriptor)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            info = self.parameter_info
            plain = info.parser is None and info.min is None and info.max is None
            if plain and self.annotation in AS_TYPED and type(value) is self.annotation:
                return value
            check_plain_number(self.annotation, value)
            return self.typers._coerce_value(value, param=param, ctx=ctx)

    def deferred(descriptor: TypeDescriptor) -> RuntimeParam:
        """Typer's coercion of `descriptor`, built when a value needs it."""
        return DeferredParam(
            parameter_info=descriptor.parameter_info,
            annotation=descriptor.annotation,
            descriptor=descriptor,
        )


def install() -> None:
    """Build each option's pydantic coercion only when a value needs converting."""
    if RuntimeParam is not None and hasattr(typer.core, "build_runtime_param"):
        typer.core.build_runtime_param = deferred
