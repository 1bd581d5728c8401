"""Issue 17 sweep: a record time is typed one way, "YYYY-MM-DD HH:MM" (an optional UTC offset
where the repeated hour needs it); a pump's time zone is a place, not a fixed offset that reads
like one (EST never moves to summer time; Etc/GMT+5 is UTC-5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from itbtwin.cli._store_args import when
from itbtwin.errors import ItbError, RecordError
from itbtwin.pump import zone


@pytest.mark.parametrize(
    "text",
    [
        "2026-W46-4 10:00",
        "20261112T1000",
        "2026-11-12 10",
        "2026-11-12T10:00:00.5",
        "2026-11-12 10:00\n x",
    ],
)
def test_issue_17_a_time_in_another_iso_form_is_refused(text):
    with pytest.raises(RecordError, match=r'is not a date and time "YYYY-MM-DD HH:MM"'):
        when(text, "--at")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-12 10:00", datetime(2026, 11, 12, 10, 0)),
        ("2026-11-12T10:00", datetime(2026, 11, 12, 10, 0)),
        (" 2026-11-12 10:00:30 ", datetime(2026, 11, 12, 10, 0, 30)),
    ],
)
def test_issue_17_a_time_as_typed_is_read(text, expected):
    assert when(text, "--at") == expected


def test_issue_17_an_offset_is_read_where_the_repeated_hour_needs_it():
    at = when("2026-10-25 01:30+01:00", "--at", offset=True)
    assert at.utcoffset() == timedelta(hours=1)
    assert when("2026-10-25T00:30Z", "--at", offset=True).tzinfo == UTC


def test_issue_17_a_date_without_a_time_asks_for_the_time():
    with pytest.raises(RecordError, match="needs a time of day too"):
        when("2026-11-12", "--at")


@pytest.mark.parametrize("name", ["EST", "MST", "HST", "Etc/GMT+5", "Etc/GMT-14", "GMT+1"])
def test_issue_17_a_fixed_offset_zone_is_refused_for_a_pump(name):
    with pytest.raises(ItbError, match="fixed UTC offset without daylight saving"):
        zone(name)


@pytest.mark.parametrize("name", ["UTC", "Europe/London", "America/New_York", "Etc/UTC"])
def test_issue_17_a_place_or_utc_is_a_time_zone(name):
    assert zone(name).key == name
