"""A trip already over is refused, not judged as one ahead (issue 17, h42 retry): `refill plan
--travel 2026-11-01:2026-11-10 --as-of "2026-12-01 10:00"` warned of its length and kept refills
out of it as if it were to come; the booking page did the same. A trip under way is planned for."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from itbtwin.clinic._trip import check_trips_to_come
from itbtwin.errors import RegimenError
from records_cli.conftest import clinic, records  # noqa: F401

STABLE = Path(__file__).parents[2] / "examples" / "stable_sci_three_refills.toml"
"""Hour 0 is Mon 8 Jan 2024 09:00 (Europe/London)."""


def test_issue_17_a_trip_ending_the_day_before_is_refused_and_one_ending_that_day_is_not():
    today = date(2026, 12, 1)
    with pytest.raises(RegimenError) as refused:
        check_trips_to_come(((date(2026, 11, 20), date(2026, 11, 30)),), today)
    assert str(refused.value) == (
        "the trip from Fri 20 Nov 2026 to Mon 30 Nov 2026 ended before Tue 01 Dec 2026, the day "
        "the plan is for: give the trips still to come"
    )
    check_trips_to_come(((date(2026, 11, 20), today), (today, today + timedelta(days=9))), today)


def test_issue_17_refill_plan_on_the_records_refuses_a_trip_over_at_its_as_of(clinic):  # noqa: F811
    refused = clinic.invoke(
        'refill plan NGP001 --as-of "2026-11-20 10:00" --travel', "2026-11-03:2026-11-10"
    )
    assert isinstance(refused.exception, RegimenError), refused.output
    assert "ended before Fri 20 Nov 2026, the day the plan is for" in str(refused.exception)
    under_way = clinic.data(
        'refill plan NGP001 --as-of "2026-11-20 10:00" --travel', "2026-11-18:2026-11-30"
    )
    # low reservoir Tue 8 Dec − 7 days = Tue 1 Dec, the day after the patient is back
    assert under_way["window"]["latest"] == "2026-12-01"


@pytest.mark.parametrize("command", ["plan", "schedule"])
def test_issue_17_a_files_trip_before_its_hour_0_is_refused(cli, command):
    result = cli("refill", command, str(STABLE), "--travel", "2023-12-20:2024-01-07")
    assert isinstance(result.exception, RegimenError), result.output
    assert "ended before Mon 08 Jan 2024" in str(result.exception)
    assert cli("refill", command, str(STABLE), "--travel", "2023-12-20:2024-01-08").exit_code == 0
