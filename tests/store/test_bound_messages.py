"""A value a record's bound refuses is said in plain decimals, never scientific notation (h38:
`--missed-visits 1000000000` read "1e+09 visits")."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itbtwin.errors import RecordError
from itbtwin.store._bounds import BOUND, check_bound

SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")


def _message(name: str, value: float) -> str:
    with pytest.raises(RecordError) as refused:
        check_bound(name, value, "the value")
    return str(refused.value)


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("missed_visits", 1e9, "the value 1000000000 visits is impossible (expected 0-100 visits"),
        ("concentration_mcg_per_ml", 2e6, "the value 2000000 mcg/mL is impossible (expected 1-"),
        ("concentration_mcg_per_ml", 10000.5, "the value 10000.5 mcg/mL is impossible"),
        ("injected_ml", 0.0000012, "the value 0.0000012 mL is impossible (expected at least 0.1"),
        ("injected_ml", 1e-300, "the value under 0.000001 mL is impossible"),
        ("catheter_length_cm", 1e300, "the value over 1000000000000 cm is impossible"),
        ("catheter_length_cm", -1e300, "the value under -1000000000000 cm is impossible"),
    ],
)
def test_a_refused_value_is_written_in_plain_decimals(name: str, value: float, said: str) -> None:
    assert said in _message(name, value)


@given(
    st.sampled_from(sorted(BOUND)),
    st.floats(allow_nan=False, allow_infinity=False),
)
def test_no_refusal_of_a_bound_is_in_scientific_notation_or_longer_than_a_line(
    name: str, value: float
) -> None:
    bound = BOUND[name]
    if (bound.low is None or value >= bound.low) and (bound.high is None or value <= bound.high):
        assert check_bound(name, value) == value
        return
    message = _message(name, value)
    assert not SCIENTIFIC.search(message), message
    assert "\n" not in message and len(message) < 250, message
