"""Parse text into canonical magnitudes, refusing anything missing, wrong or ambiguous."""

from __future__ import annotations

import functools
import math
import re
from typing import TYPE_CHECKING

from itbtwin.errors import UnitError
from itbtwin.units._kinds import KINDS, Kind
from itbtwin.units._registry import registry

if TYPE_CHECKING:
    import pint

# Spellings people type that pint would misread, mapped to what they mean.
_SPELLINGS = (
    (re.compile(r"µg|μg|ug\b"), "mcg"),
    (re.compile(r"/\s*24\s*(h|hrs?|hours?)\b"), "/day"),
    (re.compile(r"\bhrs?\b"), "hour"),
    (re.compile(r"\bd\b"), "day"),
)
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER_ONLY = re.compile(rf"^\s*{_NUMBER}\s*$", re.ASCII)
# One number, then the unit: the unit may not hold another number except as an exponent (mL**-1).
_NUMBER_THEN_UNIT = re.compile(
    rf"^\s*(?P<number>{_NUMBER})\s*(?P<unit>.*?)\s*$", re.DOTALL | re.ASCII
)
_EXPONENT = re.compile(r"(\*\*|\^)\s*-?\d+")
_UNIT_CHARACTERS = re.compile(r"[A-Za-z /*^()._\-\s\d%µμ°²³]*", re.ASCII)
"""What a unit is written with: letters, spaces, ``/ * ^ ( )``, an exponent's digits and sign,
and the micro, degree and superscript signs. Anything else (a ``#``, which pint reads as the start
of a comment, a zero-width space, a NUL, the minus sign U+2212) is refused, never dropped."""
_PREFIXED_MCG = re.compile(r"[A-Za-zµμ]+mcgs?\b")
"""A prefix on mcg (``mmcg``, ``kmcg``): pint would read a milli-microgram, 1000 times off a
doubled letter of "mcg"."""
_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year"})
"""Time units are written whole: pint reads a prefix on them, so a slip of "day" was another dose
(``300 mcg/da``: per deci-year, 8.2 mcg/day; ``mcg/dd``: per tenth of a day, 3,000 mcg/day)."""
_AMBIGUOUS_UNITS = {"gr": "grain (64.8 mg) or gram"}
"""Unit spellings with two readings a clinician may mean: refused with both named."""
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d*,\d")
_THOUSANDS = re.compile(r"^\s*[-+]?\d{1,3}(,\d{3})+(?!\d)")
# Longer text is no quantity a person typed; refusing it first keeps pint from a 100,000-digit
# number.
_MAX_LENGTH = 64


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
            ' "mcg/L" for daily doses is a typo for mcg/day (source product-page, docs/sources.md).'
        )
    if kind.name == "concentration" and quantity.check("[mass] / [time]"):
        return " That is a dose rate; a concentration is an amount per volume."
    if kind.name in ("dose", "daily_dose") and quantity.check("[substance] / [length] ** 3"):
        return " Molar units are not accepted for doses."
    return ""


def _prefixed_time(ureg: pint.UnitRegistry, units: pint.Unit) -> str | None:
    """The name of a prefixed time unit in `units` (``deciyear``, ``kiloday``), or None."""
    for name in units._units:
        readings = ureg.parse_unit_name(name)
        if readings and all(prefix and base in _TIME_UNITS for prefix, base, _ in readings):
            return name
    return None


def _split(text: str, expect: str) -> tuple[str, str]:
    """Split ``text`` into its one number and its unit, refusing anything else.

    A decimal comma ("1,5 mL"), a thousands separator ("1,000 mcg"), two numbers ("50 50 mcg",
    "1 300 mcg/day") or arithmetic ("50 mcg*2") would each be read as another dose by pint, the
    tenfold errors this tool exists to prevent, so each is refused with what to type instead.
    """
    text = re.sub(r"\s", " ", text)  # a no-break or other Unicode space is a space
    if _THOUSANDS.match(text):
        raise UnitError(
            f"{text!r} has a comma in its number, which could be a thousands separator or a "
            f"decimal comma: write the number with no separators and a decimal point "
            f"(1000 or 1.0): {expect}."
        )
    if _DECIMAL_COMMA.match(text):
        raise UnitError(
            f"{text!r} has a decimal comma: write a decimal point (1,5 → 1.5): {expect}."
        )
    match = _NUMBER_THEN_UNIT.match(text)
    if match is None:
        if any(c.isdigit() and not c.isascii() for c in text):  # ５０, ٥٠: float() reads them
            raise UnitError(f"{text!r}: write the number with the digits 0-9: {expect}.")
        raise UnitError(f"{text!r} does not start with a number: {expect}.")
    unit = match["unit"]
    for pattern, replacement in _SPELLINGS:
        unit = pattern.sub(replacement, unit)
    if not unit:
        raise UnitError(f"{text!r} has no unit: {expect}.")
    if re.search(r"\d", _EXPONENT.sub("", unit)) or re.search(r"[,+=]", unit):
        raise UnitError(
            f"{text!r} is not one number and one unit: a quantity is a single number followed "
            f"by its unit, with no second number, separator or arithmetic: {expect}."
        )
    if not _UNIT_CHARACTERS.fullmatch(unit):
        odd = next(c for c in unit if not _UNIT_CHARACTERS.fullmatch(c))
        if odd.isdigit():
            raise UnitError(f"{text!r}: write the number with the digits 0-9: {expect}.")
        raise UnitError(f"{text!r} holds {odd!a}, which is no part of a unit: {expect}.")
    prefixed = _PREFIXED_MCG.search(unit)
    if prefixed and prefixed[0] not in ("mcg", "mcgs"):
        raise UnitError(f"{text!r}: {prefixed[0]!r} is not a unit (did you mean mcg?): {expect}.")
    for word in re.findall(r"[A-Za-z]+", unit):
        if word in _AMBIGUOUS_UNITS:
            raise UnitError(
                f"{text!r}: {word!r} may be {_AMBIGUOUS_UNITS[word]}; write the unit in full "
                f"(mg, g): {expect}."
            )
    return match["number"], unit


CANONICAL_SPELLINGS = frozenset(
    {
        ("mcg", "dose"),
        ("mcg/day", "daily_dose"),
        ("mcg/mL", "concentration"),
        ("mL", "volume"),
        ("mL/day", "pump_rate"),
        ("h", "duration"),
        ("h", "time"),
        ("kg", "weight"),
        ("year", "age"),
    }
)
"""Units written exactly as the kind's canonical unit (factor 1), as itbtwin writes them when it
builds a scenario from the records: read without loading pint's registry, which takes most of a
second (issue 13; a test checks each against pint)."""

EXACT_SPELLINGS = {("day", "duration"): 24.0, ("days", "duration"): 24.0}
"""Other spellings read without pint, with their exact factor to the canonical unit: the day of
the schedule's defaults ("7 day"), so `itbtwin schedule` loads no pint (issue 13; a test checks
each against pint)."""


@functools.lru_cache(maxsize=512)
def _canonical_factor(unit: str, kind: str) -> float | None:
    """How many canonical units of `kind` one `unit` is, when `unit` is a known unit of the
    right dimension (None otherwise: the full parse then says what is wrong). Parsing a unit
    with pint takes about a millisecond; a clinic's records repeat a handful of units."""
    spec = _kind(kind)
    if (unit, kind) in CANONICAL_SPELLINGS:
        return 1.0
    if (unit, kind) in EXACT_SPELLINGS:
        return EXACT_SPELLINGS[unit, kind]
    ureg = registry()
    try:
        quantity = ureg.Quantity(1.0, ureg.parse_units(unit))
        if quantity.dimensionless or not quantity.check(spec.dimension):
            return None
        if _prefixed_time(ureg, quantity.units) is not None:
            return None  # the full parse refuses it
        if ureg.Quantity(0.0, quantity.units).m_as(spec.canonical) != 0.0:
            return None  # an offset unit: not a plain factor
        return float(quantity.m_as(spec.canonical))
    except Exception:  # any pint failure: the full parse reports it
        return None


def parse_quantity(text: str | float | int, kind: str) -> float:
    """Parse ``text`` as a quantity of ``kind`` and return its magnitude in the canonical unit.

    **Arguments:**
    - `text`: a number with a unit, e.g. ``"0.05 mg"``. A bare number is refused.
    - `kind`: one of `KINDS` (``dose``, ``daily_dose``, ``concentration``, ``pump_rate``...).

    **Returns:** the magnitude in `KINDS[kind].canonical` (mcg, mcg/day, mcg/mL, mL/day, h...).

    Raises `UnitError` naming the expected unit when the unit is missing, unknown, of the wrong
    dimension, when the value is negative or not finite, or outside the kind's `bounds`.
    """
    magnitude = _magnitude(text, kind)
    spec = _kind(kind)
    if spec.bounds is not None and not spec.bounds[0] <= magnitude <= spec.bounds[1]:
        low, high = spec.bounds
        raise UnitError(
            f"{text!r} is impossible for {spec.help} (expected {low:,g}-{high:,g} "
            f"{spec.canonical.replace(' ', '')}): {spec.why}."
        )
    return magnitude


def _magnitude(text: str | float | int, kind: str) -> float:
    """`parse_quantity` before the kind's bounds."""
    spec = _kind(kind)
    expect = f"expected {spec.help} in {spec.canonical} (e.g. {spec.examples})"
    if isinstance(text, str) and len(text) > _MAX_LENGTH:
        raise UnitError(f"{text[:_MAX_LENGTH] + '…'!r} is too long to be a quantity: {expect}.")
    if isinstance(text, (int, float)) or _NUMBER_ONLY.match(str(text)):
        raise UnitError(f"{text!r} has no unit: {expect}.")
    number, unit = _split(str(text), expect)
    if float(number) == 0 and re.search(r"[1-9]", re.split(r"[eE]", number)[0]):  # 1e-400
        raise UnitError(f"{text!r} is too small to be a number itbtwin can hold: {expect}.")
    factor = _canonical_factor(unit, kind)
    if factor is not None and math.isfinite(magnitude := float(number) * factor):  # noqa: SIM102
        if magnitude >= 0 or spec.allow_negative:
            return magnitude + 0.0  # -0 is 0
    import pint

    ureg = registry()
    try:
        quantity = ureg.Quantity(float(number), ureg.parse_units(unit))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError) as err:
        raise UnitError(f"{text!r} has a unit itbtwin does not know ({err}): {expect}.") from None
    except Exception as err:  # pint raises tokenizer and arithmetic errors of several types
        raise UnitError(f"{text!r} is not a quantity ({err}): {expect}.") from None
    if not isinstance(quantity, pint.Quantity) or quantity.dimensionless:
        raise UnitError(f"{text!r} has no unit: {expect}.")
    if (prefixed := _prefixed_time(ureg, quantity.units)) is not None:
        raise UnitError(
            f"{text!r} has a time unit with a prefix, read as {prefixed} (as 'da' is a tenth "
            f"of a year): write the time unit whole (s, min, h, day, week, year): {expect}."
        )
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
    if magnitude == 0 and float(number) != 0:
        raise UnitError(f"{text!r} is too small to be a number itbtwin can hold: {expect}.")
    return magnitude + 0.0  # -0 is 0


def parse_duration_h(text: str) -> float:
    """Parse a duration or interval written with its unit (``"8h"``, ``"7 day"``) into hours."""
    return parse_quantity(text, "duration")


def to_canonical(value: float, unit: str, kind: str) -> float:
    """Convert a magnitude in an explicit ``unit`` to the canonical unit of ``kind``."""
    spec = _kind(kind)
    quantity = registry().Quantity(value, unit)
    if not quantity.check(spec.dimension):
        raise UnitError(f"unit {unit!r} is not {spec.help} ({spec.canonical}).")
    return float(quantity.m_as(spec.canonical))


def format_quantity(value: float, kind: str, unit: str | None = None, digits: int = 3) -> str:
    """Format a canonical magnitude of ``kind`` for people, optionally in another ``unit``."""
    spec = _kind(kind)
    quantity = registry().Quantity(value, spec.canonical)
    if unit is not None:
        quantity = quantity.to(unit)
    return f"{quantity.magnitude:.{digits}g} {quantity.units:~}"
