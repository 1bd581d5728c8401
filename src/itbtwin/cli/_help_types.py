"""`--help` shows a flag as a flag: `--json`, not `--json <bool>`.

typer 0.29's Rich help prints every option's type beside it, flags included, so `--json <bool>`,
`--force <bool>` and `--help <bool>` read as options that take a value (`--json true`); its plain
help leaves the type off a flag. `install` makes the Rich help do the same: a flag shows no type,
every option that takes a value keeps its own (`--bolus <str>`).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption


def install() -> None:
    """Show no type beside a flag in the Rich help (idempotent)."""
    typed = TyperOption.display_type_rich
    if getattr(typed, "flags_untyped", False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else typed(self, ctx)

    display_type_rich.flags_untyped = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
