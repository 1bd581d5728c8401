"""A share given as a percentage ("30 %"): a catheter fault's measured part of the flow, typed on
the command line (`itbtwin pump event --share`) and on the web's event form alike."""

from __future__ import annotations

from itbtwin.errors import UnitError


def parse_share(text: str) -> float:
    """A percentage above 0 and at most 100 ("30 %", "30%") as a share in (0, 1]; a number
    without its "%" is refused, never read as a share or a percentage by guess."""
    number = text.strip().removesuffix("%").strip()
    try:
        value = float(number) / 100
    except ValueError:
        value = float("nan")
    if not text.strip().endswith("%") or not 0 < value <= 1:
        raise UnitError(f'the share {text!r} must be a percentage above 0 and at most 100: "30 %"')
    return value
