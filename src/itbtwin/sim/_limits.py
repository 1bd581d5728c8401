"""Bounds on the work one simulation may ask for, checked before any work starts (issue 17 pt 4).

A span, an output step or a dose count a user types can ask for more memory or time than any
machine has (100 years at 1-minute steps, a dose every second for a month); these checks refuse
it up front with the limit and its reason (docs/limits.md) instead of hanging or running out of
memory.
"""

from __future__ import annotations

import math

from itbtwin.errors import ItbError, RegimenError

HOURS_PER_YEAR = 8766.0
MAX_SPAN_H = 10 * HOURS_PER_YEAR
"""The longest span: 10 years, the longest service life of a pump in the catalogue (Prometra,
`pump._catalogue`); one implant never needs more, and a longer span is usually a mistyped unit."""
MAX_OUTPUT_POINTS = 1_000_000
"""The most output times: each holds about a dozen 8-byte values per output and effect site, so
a million is about 100 MB of results; a year at 1-minute steps (525,960 points) fits."""
MAX_DOSES = 100_000
"""The most doses in one regimen: the exact solver takes one matrix step per dose, and 10 years
of a dose every hour is 87,660."""


def _days(span_h: float) -> str:
    days = span_h / 24
    if days < 2:
        return f"{span_h:g} h"
    return f"{days:,.0f} days" if days < 1e9 else "over a billion days"


def check_span(span_h: float, what: str, error: type[ItbError] = RegimenError) -> None:
    """Refuse a span (h) that is not a positive finite number or exceeds `MAX_SPAN_H`."""
    if not (math.isfinite(span_h) and span_h > 0):
        raise error(f"{what} must be a positive, finite length of time, got {span_h:g} h")
    if span_h > MAX_SPAN_H:
        raise error(
            f"{what} is {_days(span_h)}; at most {MAX_SPAN_H / 24:,.0f} days (10 years, "
            "the longest service life of a pump) can be simulated at once"
        )


def check_output(
    span_h: float, step_h: float, what: str, error: type[ItbError] = RegimenError
) -> None:
    """Refuse a span and output step (h) that give more than `MAX_OUTPUT_POINTS` times."""
    check_span(span_h, what, error)
    if not (math.isfinite(step_h) and step_h > 0):
        raise error(f"the output step must be a positive, finite time, got {step_h:g} h")
    points = span_h / step_h
    if points > MAX_OUTPUT_POINTS:
        raise error(
            f"an output step of {step_h:g} h over {_days(span_h)} gives {points:,.0f} output "
            f"times; at most {MAX_OUTPUT_POINTS:,} (about 100 MB of results): use a larger step"
        )


def check_doses(count: float, what: str, error: type[ItbError] = RegimenError) -> None:
    """Refuse more than `MAX_DOSES` doses (`count` may be a float estimate, even infinite)."""
    if not count <= MAX_DOSES:
        raise error(
            f"{what} gives {count:,.0f} doses; at most {MAX_DOSES:,} in one regimen "
            "(each is one step of the solver): use a longer interval or a shorter span"
        )
