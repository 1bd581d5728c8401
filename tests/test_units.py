"""Units at the edges: parsing to canonical magnitudes and every rejection with its message."""

from __future__ import annotations

import pytest

from itbtwin.errors import UnitError
from itbtwin.units import KINDS, format_quantity, parse_duration_h, parse_quantity


@pytest.mark.parametrize(
    ("text", "kind", "canonical"),
    [
        ("50 mcg", "dose", 50.0),
        ("0.05 mg", "dose", 50.0),
        ("50 µg", "dose", 50.0),
        ("50 ug", "dose", 50.0),
        ("500 mcg/day", "daily_dose", 500.0),
        ("0.5 mg/day", "daily_dose", 500.0),
        ("500 mcg/24h", "daily_dose", 500.0),
        ("2000 mcg/mL", "concentration", 2000.0),
        ("2 mg/mL", "concentration", 2000.0),
        ("0.25 mL/day", "pump_rate", 0.25),
        ("24 mL/day", "pump_rate", 24.0),
        ("20 mcg/h", "infusion_rate", 20.0),
        ("20 mL", "volume", 20.0),
        ("7 day", "duration", 168.0),
        ("30 min", "duration", 0.5),
        ("12 hr", "time", 12.0),
        ("70 kg", "weight", 70.0),
        ("8 year", "age", 8.0),
    ],
)
def test_quantities_parse_to_canonical_units(text: str, kind: str, canonical: float) -> None:
    assert parse_quantity(text, kind) == pytest.approx(canonical, rel=1e-12)


def test_daily_dose_in_mcg_per_litre_is_rejected_as_the_product_page_typo() -> None:
    with pytest.raises(UnitError, match=r"mcg / day.*typo for mcg/day"):
        parse_quantity("500 mcg/L", "daily_dose")


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("500", "daily_dose", "has no unit: expected a daily dose .* in mcg / day"),
        (500, "dose", "has no unit: expected an amount of drug in mcg"),
        ("mcg", "dose", "does not start with a number"),
        ("5 foo", "dose", "unit itbtwin does not know"),
        ("50 mcg", "concentration", "wrong unit .* expected a drug concentration in mcg / mL"),
        ("2 mcg/h", "concentration", "That is a dose rate"),
        ("0.25 mL", "pump_rate", "expected a volume flow rate at the pump in mL / day"),
        ("1 mM", "dose", "Molar units are not accepted"),
        ("-3 mcg", "dose", "is negative"),
        ("500 mcg/day", "dose", "wrong unit"),
        ("3 m", "duration", "wrong unit"),
    ],
)
def test_bad_quantities_are_rejected_naming_the_expected_unit(
    text: object, kind: str, message: str
) -> None:
    with pytest.raises(UnitError, match=message):
        parse_quantity(text, kind)  # type: ignore[arg-type]


def test_unit_errors_are_also_value_errors() -> None:
    with pytest.raises(ValueError):
        parse_quantity("500", "dose")


def test_durations_accept_compact_spellings() -> None:
    assert parse_duration_h("8h") == 8.0
    assert parse_duration_h("2d") == 48.0


def test_every_kind_formats_its_canonical_unit_back() -> None:
    for kind in KINDS.values():
        assert parse_quantity(format_quantity(3.5, kind.name), kind.name) == pytest.approx(3.5)


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown quantity kind"):
        parse_quantity("1 mcg", "dosage")


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("1,5 mL", "volume", "decimal comma: write a decimal point"),
        ("0,05 mg", "dose", "decimal comma"),
        (",5 mL", "volume", "decimal comma"),
        ("1,000 mcg", "dose", "thousands separator or a decimal comma"),
        ("12,345,678 mcg", "dose", "thousands separator"),
        ("50 50 mcg", "dose", "not one number and one unit"),
        ("50 mcg*2", "dose", "not one number and one unit"),
        ("50 mcg * 2", "dose", "not one number and one unit"),
        ("1 300 mcg/day", "daily_dose", "not one number and one unit"),
        ("50 mcg + 10 mcg", "dose", "not one number and one unit"),
        ("5 mg/mL=", "concentration", "not one number and one unit"),
        ("1.2.3 mL", "volume", "not one number and one unit"),
        ("9" * 100_000 + " mcg", "dose", "too long to be a quantity"),
        ("1e400 mcg", "dose", "not a finite value"),
    ],
)
def test_issue_17_a_quantity_is_one_number_and_one_unit(text: str, kind: str, message: str) -> None:
    """Each of these was read as another dose before (1,5 mL as 15 mL, 50 50 mcg as 2,500 mcg)."""
    with pytest.raises(UnitError, match=message):
        parse_quantity(text, kind)


@pytest.mark.parametrize(
    ("text", "kind", "canonical"),
    [
        ("1.5 mL", "volume", 1.5),
        (" 1.5mL ", "volume", 1.5),
        ("1.5e-1 day", "duration", 3.6),
        ("500 mcg/24 hours", "daily_dose", 500.0),
        ("2 mg * mL**-1", "concentration", 2000.0),
        ("1000 mcg", "dose", 1000.0),
    ],
)
def test_one_number_and_one_unit_still_parse(text: str, kind: str, canonical: float) -> None:
    assert parse_quantity(text, kind) == pytest.approx(canonical, rel=1e-12)
