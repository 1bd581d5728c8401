"""The program-change dry run's "current" dates use the program version in force at each time,
versions stored after `--at` included (known problem 1 of the hand-computed cases: they ran the
version at `--at` for ever).

Hand calculation. NGP001 is filled Mon 2 Nov 2026 10:00 GMT with 20 mL of 500 mcg/mL at
250 mcg/day, i.e. 250 / 500 = 0.5 mL/day. Version 2, stored for Sun 15 Nov 10:00 (312 h after
the fill), runs 300 mcg/day = 0.6 mL/day. By then 13 days x 0.5 = 6.5 mL are used: 13.5 mL left.
- low-reservoir alarm (2 mL): (13.5 - 2) / 0.6 = 19.1667 days = 460 h later, hour 772:
  Fri 4 Dec 2026 14:00 GMT;
- empty: 13.5 / 0.6 = 22.5 days = 540 h later, hour 852: Mon 7 Dec 2026 22:00 GMT.
Had version 1 run on (the old answer): (20 - 2) / 0.5 = 36 days, Tue 8 Dec 10:00, and
20 / 0.5 = 40 days, Sat 12 Dec 10:00.
The proposal (275 mcg/day = 0.55 mL/day from 10 Nov 11:00, hour 193, 193 / 24 x 0.5 = 4.0208 mL
used, 15.979 mL left) runs on in place of what follows: alarm (15.979 - 2) / 0.55 x 24 = 610 h
later, hour 803, Sat 5 Dec 21:00 GMT.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from itbtwin import store

AT = '--at "2026-11-10 10:00"'


@pytest.fixture
def changed_later(clinic):
    clinic.run(
        'program set NGP001 --daily-dose "300 mcg/day" --reason "spasms at night" '
        '--at "2026-11-15 10:00"'
    )
    return clinic


def test_current_dates_of_a_check_at_a_past_time_follow_the_versions_stored_after_it(
    changed_later,
):
    found = changed_later.data(f'check-program NGP001 --daily-dose "275 mcg/day" {AT}')
    current = found["dry_run"]["current_dates"]
    assert current["low_reservoir_h"] == pytest.approx(772.0, abs=1e-6)
    assert current["low_reservoir_at"] == "2026-12-04T14:00:00+00:00"
    assert current["empty_h"] == pytest.approx(852.0, abs=1e-6)
    assert current["empty_at"] == "2026-12-07T22:00:00+00:00"
    assert found["pump_dates"]["empty_at"] == current["empty_at"]  # as the schedule reads it


def test_the_proposal_runs_on_in_place_of_the_later_versions(changed_later):
    found = changed_later.data(f'check-program NGP001 --daily-dose "275 mcg/day" {AT}')
    proposed = found["dry_run"]["proposed_dates"]
    assert proposed["low_reservoir_h"] == pytest.approx(192 + 1 + 610, abs=1e-6)
    assert proposed["low_reservoir_at"] == "2026-12-05T21:00:00+00:00"


def test_without_a_later_version_the_current_dates_are_the_first_programs(clinic):
    current = clinic.data(f'check-program NGP001 --daily-dose "275 mcg/day" {AT}')["dry_run"]
    assert current["current_dates"]["low_reservoir_at"] == "2026-12-08T10:00:00+00:00"
    assert current["current_dates"]["empty_at"] == "2026-12-12T10:00:00+00:00"


def test_program_set_reads_the_same_current_dates_as_check_program(changed_later):
    engine = store.open_engine(changed_later.url)
    try:
        with store.transaction(engine) as session:
            review = store.review_change(
                store.find_pump(session, "NGP001"),
                {"mode": "continuous", "daily_dose": "275 mcg/day"},
                effective_at=datetime(2026, 11, 10, 10, 0),
            )
            assert review.run.current_dates.empty_h == pytest.approx(852.0, abs=1e-6)
    finally:
        engine.dispose()


def test_the_dry_runs_signals_read_in_hours_or_days_and_onset_after_now(clinic):
    """250 → 100 mcg/day, a 60 % cut, shows a withdrawal signal in the proposal's run; its
    onset reads "after N h", never a fraction of a day (such as 0.0382)."""
    table = clinic.run(f'check-program NGP001 --daily-dose "100 mcg/day" {AT}').stdout
    row = next(line for line in table.splitlines() if "Withdrawal signal from" in line)
    cells = [c.strip() for c in row.split("│")[1:-1]]
    assert cells[1] == "-" and cells[2].startswith("after ") and cells[2].endswith(" h")
    total = next(line for line in table.splitlines() if "Withdrawal signal, in all" in line)
    assert total.split("│")[3].strip().endswith(("h", "days"))
