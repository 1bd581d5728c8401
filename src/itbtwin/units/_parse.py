"""Parse text into canonical magnitudes, refusing anything missing, wrong or ambiguous."""

from __future__ import annotations

import math
import re

import pint

from itbtwin.errors import UnitError
from itbtwin.units._kinds import KINDS, Kind
from itbtwin.units._registry import ureg

# Spellings people type that pint would misread, mapped to what they mean.
_SPELLINGS = (
    (re.compile(r"µg|μg|ug\b"), "mcg"),
    (re.compile(r"\bhrs?\b"), "hour"),
    (re.compile(r"\bd\b"), "day"),
    (re.compile(r"/\s*24\s*h\b"), "/day"),
)
_NUMBER = r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"
_NUMBER_ONLY = re.compile(rf"^\s*{_NUMBER}\s*$")
_STARTS_WITH_NUMBER = re.compile(rf"^\s*{_NUMBER}")


def _kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown quantity kind {name!r}; known: {', '.join(KINDS)}") from None


def _typo_hint(kind: Kind, text: str, quantity: pint.Quantity) -> str:
    """Say what the wrong unit probably meant, for the mistakes clinicians actually make."""
    if kind.name == "daily_dose" and quantity.check("[mass] / [length] ** 3"):
        return (
            " A daily dose is an amount per day, never per litre: the product page's"
            ' "mcg/L" for daily doses is a typo for mcg/day (reference/lioresal-hcp-page.txt).'
        )
    if kind.name == "concentration" and quantity.check("[mass] / [time]"):
        return " That is a dose rate; a concentration is an amount per volume."
    if kind.name in ("dose", "daily_dose") and quantity.check("[substance] / [length] ** 3"):
        return " Molar units are not accepted for doses."
    return ""


def parse_quantity(text: str | float | int, kind: str) -> float:
    """Parse ``text`` as a quantity of ``kind`` and return its magnitude in the canonical unit.

    **Arguments:**
    - `text`: a number with a unit, e.g. ``"0.05 mg"``. A bare number is refused.
    - `kind`: one of `KINDS` (``dose``, ``daily_dose``, ``concentration``, ``pump_rate``...).

    **Returns:** the magnitude in `KINDS[kind].canonical` (mcg, mcg/day, mcg/mL, mL/day, h...).

    Raises `UnitError` naming the expected unit when the unit is missing, unknown, of the wrong
    dimension, or when the value is negative or not finite.
    """
    spec = _kind(kind)
    expect = f"expected {spec.help} in {spec.canonical} (e.g. {spec.examples})"
    if isinstance(text, (int, float)) or _NUMBER_ONLY.match(str(text)):
        raise UnitError(f"{text!r} has no unit: {expect}.")
    cleaned = str(text).strip()
    if not _STARTS_WITH_NUMBER.match(cleaned):
        raise UnitError(f"{text!r} does not start with a number: {expect}.")
    for pattern, replacement in _SPELLINGS:
        cleaned = pattern.sub(replacement, cleaned)
    try:
        quantity = ureg.Quantity(cleaned)
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError) as err:
        raise UnitError(f"{text!r} has a unit itbtwin does not know ({err}): {expect}.") from None
    except Exception as err:  # pint raises tokenizer and arithmetic errors of several types
        raise UnitError(f"{text!r} is not a quantity ({err}): {expect}.") from None
    if not isinstance(quantity, pint.Quantity) or quantity.dimensionless:
        raise UnitError(f"{text!r} has no unit: {expect}.")
    if not quantity.check(spec.dimension):
        raise UnitError(
            f"{text!r} has the wrong unit ({quantity.units:~}): {expect}."
            + _typo_hint(spec, str(text), quantity)
        )
    magnitude = float(quantity.m_as(spec.canonical))
    if not math.isfinite(magnitude):
        raise UnitError(f"{text!r} is not a finite value: {expect}.")
    if magnitude < 0 and not spec.allow_negative:
        raise UnitError(f"{text!r} is negative: {expect}.")
    return magnitude


def parse_duration_h(text: str) -> float:
    """Parse a duration or interval written with its unit (``"8h"``, ``"7 day"``) into hours."""
    # "8h" → "8 h", but never split an exponent: "1.5e-1 day" stays as it is.
    spaced = re.sub(rf"^\s*({_NUMBER})(?![eE][-+]?\d)(?=[a-zA-Z])", r"\1 ", str(text))
    return parse_quantity(spaced, "duration")


def to_canonical(value: float, unit: str, kind: str) -> float:
    """Convert a magnitude in an explicit ``unit`` to the canonical unit of ``kind``."""
    spec = _kind(kind)
    quantity = ureg.Quantity(value, unit)
    if not quantity.check(spec.dimension):
        raise UnitError(f"unit {unit!r} is not {spec.help} ({spec.canonical}).")
    return float(quantity.m_as(spec.canonical))


def format_quantity(value: float, kind: str, unit: str | None = None, digits: int = 3) -> str:
    """Format a canonical magnitude of ``kind`` for people, optionally in another ``unit``."""
    spec = _kind(kind)
    quantity = ureg.Quantity(value, spec.canonical)
    if unit is not None:
        quantity = quantity.to(unit)
    return f"{quantity.magnitude:.{digits}g} {quantity.units:~}"
