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
SYSTEMIC_DOSE_TIMES_LABEL_MAX = 10
"""The largest oral or subcutaneous dose (one dose, or one day of an infusion) is ten times the
label's oral maximum a day (80 mg, `patient._oral_equivalent.ORAL_MAX_MG_PER_DAY`): 800 mg
[assumption: a configurable default; overdoses of a few hundred mg are described, a larger dose
is a mistyped unit]. 1e300 mg ran, and filled a trial's quantiles with the top bin (issue 17)."""
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


def check_systemic_dose(
    mcg: float, what: str, error: type[ItbError] = RegimenError, unit: str = "mg"
) -> float:
    """Refuse an oral or subcutaneous dose (mcg, or mcg/day with `unit` "mg/day") above ten times
    the label's oral maximum a day (`SYSTEMIC_DOSE_TIMES_LABEL_MAX`)."""
    from itbtwin.patient._oral_equivalent import ORAL_MAX_MG_PER_DAY

    most_mg = SYSTEMIC_DOSE_TIMES_LABEL_MAX * ORAL_MAX_MG_PER_DAY
    if not mcg <= most_mg * 1000:
        shown = f"{mcg / 1000:,.4g}" if mcg < 1e12 else "over a billion"
        raise error(
            f"{what} {shown} {unit} is impossible: expected at most {most_mg:g} {unit}, ten "
            f"times the label's oral maximum a day ({ORAL_MAX_MG_PER_DAY:g} mg)"
        )
    return mcg


def check_doses(count: float, what: str, error: type[ItbError] = RegimenError) -> None:
    """Refuse more than `MAX_DOSES` doses (`count` may be a float estimate, even infinite)."""
    if not count <= MAX_DOSES:
        shown = f"{count:,.0f}" if count < 1e9 else "over a billion"
        raise error(
            f"{what} gives {shown} doses; at most {MAX_DOSES:,} in one regimen "
            "(each is one step of the solver): use a longer interval or a shorter span"
        )
