"""Issue 17 sweep: a quantity is one number in the digits 0-9 and one unit, nothing else. Each of
these was read as a dose before: a full-width or Arabic-Indic number, a ``#`` that pint takes for a
comment, an invisible character, a prefix on mcg (``mmcg``: 1000 times off), ``gr`` (grain or
gram?), a number too small for a float (read as 0) and a negative zero."""

from __future__ import annotations

import pytest

from itbtwin.errors import UnitError
from itbtwin.units import parse_quantity

REFUSED = [
    ("５０ mcg", "write the number with the digits 0-9"),
    ("٥٠ mcg", "write the number with the digits 0-9"),
    ("۵۰ mcg", "write the number with the digits 0-9"),
    ("50 mcg#", "holds '#', which is no part of a unit"),
    ("50 mcg # one", "holds '#'"),
    ("50 mcg\u200b", "holds '\\u200b'"),
    ("50 mcg\x00", "holds '\\x00'"),
    ("50 mcg\u2212", "holds '\\u2212'"),
    ("\u221250 mcg", "does not start with a number"),
    ("50 mmcg", "'mmcg' is not a unit (did you mean mcg?)"),
    ("50 kmcg", "'kmcg' is not a unit"),
    ("50 mmcg/day", "'mmcg' is not a unit"),
    ("50 gr", "'gr' may be grain (64.8 mg) or gram"),
    ("1e-400 mcg", "too small to be a number itbtwin can hold"),
    ("½ mL", "does not start with a number"),
    ("0x10 mcg", "not one number and one unit"),
    ("nan mcg", "does not start with a number"),
    ("inf mcg", "does not start with a number"),
    ("1e400 mcg", "not a finite value"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[ascii(t) for t, _ in REFUSED])
def test_issue_17_a_quantity_that_is_not_one_number_and_one_unit_is_refused(text, message):
    with pytest.raises(UnitError) as caught:
        parse_quantity(text, "daily_dose" if "/day" in text else "dose")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "kind", "mcg"),
    [
        ("-0 mcg", "dose", 0.0),
        ("50\u00a0mcg", "dose", 50.0),  # a no-break space is a space
        ("50 µg", "dose", 50.0),  # micro sign U+00B5
        ("50 μg", "dose", 50.0),  # Greek mu U+03BC
        ("50 mcg/24h", "daily_dose", 50.0),
        ("50mcg/d", "daily_dose", 50.0),
        ("50 ng", "dose", 0.05),
    ],
)
def test_issue_17_what_is_one_number_and_one_unit_is_read_exactly(text, kind, mcg):
    value = parse_quantity(text, kind)
    assert value == mcg
    assert str(value) != "-0.0"
