"""Issue 17, h36 sweep: pint reads a prefix on a time unit, so a slip of "day" was another dose
without a word: ``check-program --daily-dose "300 mcg/da"`` checked 8.2 mcg/day (per deci-year,
36.5 days) and ``"300 mcg/dd"`` would be 3,000 mcg/day (per tenth of a day)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itbtwin.errors import UnitError
from itbtwin.units import parse_quantity

PREFIXES = ["d", "c", "m", "k", "h", "da", "M", "u", "n"]
EXAMPLE = str(Path(__file__).parents[2] / "examples" / "missed_refill.toml")
TIMES = ["s", "min", "h", "day", "d", "week", "year", "a"]


@pytest.mark.parametrize(
    ("text", "kind", "read_as"),
    [
        ("300 mcg/da", "daily_dose", "deciyear"),
        ("300 mcg/dd", "daily_dose", "deciday"),
        ("0.5 mL/kday", "pump_rate", "kiloday"),
        ("8 ms", "duration", "millisecond"),
        ("2 dh", "duration", "decihour"),
    ],
)
def test_issue_17_a_time_unit_with_a_prefix_is_refused(text, kind, read_as):
    with pytest.raises(UnitError) as refused:
        parse_quantity(text, kind)
    assert f"has a time unit with a prefix, read as {read_as}" in str(refused.value)
    assert "write the time unit whole (s, min, h, day, week, year)" in str(refused.value)


@given(st.sampled_from(PREFIXES), st.sampled_from(TIMES))
def test_issue_17_no_prefixed_time_unit_is_read_as_a_daily_dose(prefix, time):
    """Whatever pint makes of a prefix and a time unit, it is never taken as a dose rate."""
    try:
        parse_quantity(f"300 mcg/{prefix}{time}", "daily_dose")
    except UnitError:
        return
    pytest.fail(f"300 mcg/{prefix}{time} was read as a daily dose")


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("300 mcg/day", "daily_dose", 300.0),
        ("300 mcg/d", "daily_dose", 300.0),
        ("12.5 mcg/h", "daily_dose", 300.0),
        ("30 min", "duration", 0.5),
        ("1 week", "duration", 168.0),
        ("42 yr", "age", 42.0),
    ],
)
def test_issue_17_whole_time_units_are_read_as_before(text, kind, value):
    assert parse_quantity(text, kind) == pytest.approx(value, rel=1e-12)


def test_issue_17_check_program_refuses_mcg_per_da(cli):
    result = cli("check-program", EXAMPLE, "--daily-dose", "300 mcg/da")
    assert isinstance(result.exception, UnitError), result.output
    assert "read as deciyear" in str(result.exception)
