"""What a clinician reads (issue 12, point 8): one date format, days past 48 h, plain numbers,
human labels, badges on checks only."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itbtwin.display import (
    badge,
    format_date,
    format_datetime,
    format_elapsed_h,
    format_number,
    format_percentile,
    format_value,
    human_label,
)


def test_issue_12_a_moment_reads_weekday_day_month_year_and_time():
    assert format_datetime(datetime(2026, 12, 7, 9, 0)) == "Mon 07 Dec 2026 09:00"


def test_a_moment_shows_its_zone_abbreviation_when_asked():
    moment = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert format_datetime(moment, zone=True) == "Mon 07 Dec 2026 09:00 CET"
    summer = datetime(2026, 7, 7, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert format_datetime(summer, zone=True) == "Tue 07 Jul 2026 09:00 CEST"


def test_the_zone_of_a_naive_moment_is_never_guessed():
    with pytest.raises(ValueError, match="no time zone"):
        format_datetime(datetime(2026, 12, 7, 9, 0), zone=True)


def test_iso_text_from_the_records_reads_in_the_same_format():
    assert format_datetime("2026-12-07T09:00:00+00:00", zone=True) == "Mon 07 Dec 2026 09:00 UTC"
    assert format_date("2026-12-07T09:00:00") == "Mon 07 Dec 2026"


def test_a_day_reads_weekday_day_month_year():
    assert format_date(date(2027, 1, 28)) == "Thu 28 Jan 2027"
    assert format_date(datetime(2027, 1, 28, 23, 59)) == "Thu 28 Jan 2027"


@pytest.mark.parametrize(
    ("hours", "text"),
    [(36.0, "36 h"), (1.5, "1.5 h"), (48.0, "48 h"), (84.0, "3.5 days"), (49.0, "2 days")],
)
def test_elapsed_time_is_in_hours_up_to_48_h_and_in_days_beyond(hours, text):
    assert format_elapsed_h(hours) == text


def test_an_unknown_elapsed_time_is_a_dash_not_zero():
    assert format_elapsed_h(None) == "-"
    assert format_elapsed_h(math.nan) == "-"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0001, "0.0001"),
        (0.000123456, "0.000123"),
        (1234567.0, "1234567"),
        (12345.6, "12346"),
        (99.96, "100"),
        (1.5, "1.5"),
        (100.0, "100"),
        (0.0, "0"),
        (-0.0004, "-0.0004"),
        (1e-12, "0.000000000001"),
    ],
)
def test_numbers_never_use_scientific_notation(value, text):
    assert format_number(value) == text


def test_a_number_carries_its_unit_after_a_space_and_percent_without():
    assert format_number(450.0, unit="mcg/day") == "450 mcg/day"
    assert format_number(-30.0, unit="%") == "-30%"


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_a_formatted_number_is_plain_decimal_within_three_significant_digits(value):
    text = format_number(value)
    assert "e" not in text.lower()
    shown = float(text)
    assert shown == pytest.approx(value, rel=5e-3, abs=0.0)


def test_human_labels_come_from_the_reviewed_table():
    assert human_label("daily_dose_mcg") == "Daily dose (mcg/day)"
    assert human_label("concentration_mcg_per_ml") == "Concentration (mcg/mL)"


def test_keys_outside_the_table_are_spelt_out_with_their_unit_not_left_in_snake_case():
    assert human_label("steady_state_lumbar_ng_ml") == "Steady state lumbar (ng/mL)"
    assert human_label("stall_h") == "Stall (h)"
    assert human_label("shortfall_pct") == "Shortfall (%)"
    assert "_" not in human_label("time_to_90pct_steady_state_h")


@pytest.mark.parametrize(
    ("verdict", "word"), [("pass", "PASS"), ("WARN", "WARN"), ("block", "BLOCK")]
)
def test_badges_name_the_verdict_of_a_check(verdict, word):
    assert word in badge(verdict)


def test_a_badge_is_refused_for_anything_but_a_check_verdict():
    with pytest.raises(ValueError, match="not a check verdict"):
        badge("empty")


def test_a_cell_shows_absent_values_as_a_dash_and_aware_moments_with_their_zone():
    assert format_value(None) == "-"
    assert format_value(True) == "yes"
    assert format_value(datetime(2026, 12, 7, 9, tzinfo=UTC)) == "Mon 07 Dec 2026 09:00 UTC"
    assert format_value(2.5e-5) == "0.000025"
    assert format_value([1.0, 2.25]) == "1, 2.25"


@pytest.mark.parametrize(
    ("probability", "text"),
    [(0.01, "1st"), (0.02, "2nd"), (0.03, "3rd"), (0.5, "50th"), (0.11, "11th"), (0.025, "2.5th")],
)
def test_quantiles_read_as_percentiles(probability, text):
    assert format_percentile(probability) == f"{text} percentile"


def test_a_count_reads_with_its_noun_in_the_right_number():
    from itbtwin.display import format_count

    assert format_count(1, "implanted pump") == "1 implanted pump"
    assert [format_count(n, "revision") for n in (0, 2)] == ["0 revisions", "2 revisions"]
