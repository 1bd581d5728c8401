"""Times back into a patient's therapy (since the last change, without drug, months on ITB),
bounded by how long intrathecal pumps have existed (issue 17).

Such a time has no natural upper limit for the rule that reads it ("more than 24 h ago" is all
that matters), so 1e300 h was taken as "long ago" without a word; yet no time on ITB can be
longer than programmable pumps have existed (since 1988, `store._bounds.EARLIEST_IMPLANT`), and
a longer one is a typing error.
"""

from __future__ import annotations

from datetime import date

from itbtwin.errors import RegimenError, UnitError
from itbtwin.units import parse_quantity


def since_first_pump_h() -> float:
    """Hours from the first programmable pump (1 Jan 1988) to today."""
    from itbtwin.store._bounds import EARLIEST_IMPLANT

    return (date.today() - EARLIEST_IMPLANT).days * 24.0


def check_since_first_pump(hours: float, what: str) -> float:
    """Refuse a time back into the therapy (h) longer than pumps have existed."""
    longest = since_first_pump_h()
    if not hours <= longest:
        raise RegimenError(
            f"{what} is longer than ITB pumps have existed: expected at most {longest / 24:,.0f} "
            "days (since 1988, the first programmable pump)"
        )
    return hours


def time_back(text: str, what: str) -> float:
    """A duration option back into the therapy, in hours, parsed and bounded; a refusal names
    the option (`--since ''` said only "'' does not start with a number")."""
    try:
        hours = parse_quantity(text, "duration")
    except UnitError as err:
        raise UnitError(f"{what}: {err}") from None
    return check_since_first_pump(hours, f"{what} {text!r}")
