"""What a clinician reads of days and percentages (h41): one rounding rule for days on every face
(an elapsed time past 48 h, days of drug left), one signed format for a delivery error, and the
same words wherever a pump's battery ends before its reservoir empties."""

from __future__ import annotations

import math
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itbtwin.display import (
    AFTER_END_OF_SERVICE,
    format_days,
    format_days_left,
    format_days_of_drug,
    format_elapsed_h,
    format_event_moment,
    format_percent_change,
    mas_not_predicted,
)


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (98.0, "4.1 days"),  # 4.0833 d read "4.08 days" before h41
        (49.0, "2 days"),  # 2.0417 d
        (54.0, "2.3 days"),  # 2.25 d: half up, as rounded by hand (binary half-even gave 2.2)
        (66.0, "2.8 days"),  # 2.75 d
        (72.0, "3 days"),
        (59.52, "2.5 days"),  # 2.48 d, a bridge bolus of 0.31 mL at 0.125 mL/day
        (-98.0, "-4.1 days"),
    ],
)
def test_an_elapsed_time_past_48_h_reads_in_days_with_one_decimal(hours, text):
    assert format_elapsed_h(hours) == text


def test_days_round_half_up_on_the_written_decimal():
    assert [format_days(d) for d in (2.25, 2.35, 2.45, 0.05, 0.04, 12.0)] == [
        "2.3",
        "2.4",
        "2.5",
        "0.1",
        "0",
        "12",
    ]


def test_a_huge_or_infinite_number_of_days_is_plain_decimal_never_an_error():
    assert format_days(1e20) == "100000000000000000000"
    assert format_elapsed_h(math.inf) == "∞ days"


@given(st.floats(min_value=48.01, max_value=24 * 36500, allow_nan=False))
def test_an_elapsed_time_and_days_of_drug_left_round_alike(hours):
    """The same span reads the same on every face: "empty in 3.8 days" and "3.8 days of drug
    left" (issue 15); one decimal at most, never more than 0.05 d from the value."""
    elapsed = format_elapsed_h(hours)
    assert elapsed == f"{format_days_left(hours / 24)} days"
    shown = float(elapsed.removesuffix(" days"))
    assert len(elapsed.removesuffix(" days").partition(".")[2]) <= 1
    assert abs(shown - hours / 24) <= 0.05 + 1e-9


def test_a_pump_that_stops_before_it_empties_has_days_of_drug_after_end_of_service():
    assert format_days_of_drug(None, stops_first=True) == AFTER_END_OF_SERVICE
    assert AFTER_END_OF_SERVICE == "after end of service"
    assert format_days_of_drug(None) == "-"  # no end of service: nothing to say
    assert format_days_of_drug(3.79, stops_first=True) == "3.8"  # days known: shown
    assert format_event_moment(None, stops_first=True) == "after end of service"
    assert format_event_moment(datetime(2026, 12, 7, 9)) == "Mon 07 Dec 2026 09:00"


@pytest.mark.parametrize(
    ("percent", "text"),
    [(2.6666666666666616, "+2.7%"), (-10.0, "-10.0%"), (-0.01, "0.0%"), (None, "-")],
)
def test_a_delivery_error_reads_signed_with_one_decimal(percent, text):
    assert format_percent_change(percent) == text


def test_a_dry_run_without_a_baseline_says_why_its_mas_is_blank():
    assert mas_not_predicted("P001") == (
        "MAS not predicted: the records hold no assessment of P001 before the implant, "
        "the baseline the predicted MAS is measured from"
    )
    assert "no [patient] baseline_mas" in mas_not_predicted(None)
