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
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import typer.core

try:  # typer's coercion layer (0.29, the lock's version); older typers use click's types
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
except ImportError:  # pragma: no cover - another typer: nothing to replace
    RuntimeParam = None  # type: ignore[assignment,misc]

AS_TYPED = (str, bool, int, float)
"""Annotations whose value, when it already has that type, typer's adapter returns unchanged
(without a parser or a range)."""

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
