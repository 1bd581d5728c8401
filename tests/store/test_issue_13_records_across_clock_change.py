"""Record times become elapsed hours through the pump clock (issue 13 follow-up).

A refill before the October change in Europe/London (25 Oct 2026, 02:00 BST → 01:00 GMT) and a
program change after it: the clocks went back, so 09:00 on 28 Oct is 193 h after 09:00 on 20 Oct,
not 192 h. Subtracting wall-clock times started the program change an hour early.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from itbtwin import store
from itbtwin.clinic import RefillVisit
from itbtwin.store._times import elapsed_hours, wall_time_after

IMPLANTED = datetime(2026, 10, 1, 9, 0)
REFILLED = datetime(2026, 10, 20, 9, 0)  # BST (UTC+1)
CHANGED = datetime(2026, 10, 28, 9, 0)  # GMT (UTC+0), after the clocks went back
NOW = datetime(2026, 11, 2, 9, 0)


@pytest.fixture
def pump_across_the_change(engine):
    """20 mL of 500 mcg/mL at 250 mcg/day (0.5 mL/day), refilled on 20 Oct, 300 mcg/day from
    28 Oct (0.6 mL/day)."""
    store.upgrade(engine)
    with store.transaction(engine) as session:
        patient = store.add_patient(
            session, "nurse", identifier="P-DST", birth_date=date(1970, 1, 1), weight_kg=80.0,
            origin="spinal", today=IMPLANTED.date(),
        )  # fmt: skip
        pump = store.implant(
            session, "dr", patient, device="synchromed2-20", serial="NG-DST",
            implanted_at=IMPLANTED, time_zone="Europe/London", catheter_model="8709SC",
            catheter_length_cm=50.0, tip_level="T10",
            fill=RefillVisit(0.0, 0.0, 20.0, "Lioresal", 500.0), lot="L1",
            program={"mode": "continuous", "daily_dose": "250 mcg/day"}, now=IMPLANTED,
        )  # fmt: skip
        store.record_refill(
            session, "nurse", pump, RefillVisit(10.5, 10.5, 20.0, "Lioresal", 500.0),
            performed_at=REFILLED, lot="L2", now=REFILLED,
        )  # fmt: skip
        store.set_program(
            session, "dr", pump, {"mode": "continuous", "daily_dose": "300 mcg/day"},
            effective_at=CHANGED, now=CHANGED, why="more spasticity",
        )  # fmt: skip
    return engine


def test_issue_13_elapsed_hours_across_the_october_change_count_the_repeated_hour() -> None:
    assert elapsed_hours(CHANGED, REFILLED, "Europe/London") == 193.0
    assert wall_time_after(REFILLED, 193.0, "Europe/London") == CHANGED


def test_issue_13_a_program_change_after_the_clock_change_starts_at_its_recorded_wall_time(
    pump_across_the_change,
) -> None:
    with store.transaction(pump_across_the_change) as session:
        pump = store.find_recorded(session, "NG-DST")
        therapy = store.history_scenario(pump, since=NOW, until=NOW + (NOW - CHANGED)).therapy
    (start, _), (change_h, _) = therapy.programs
    assert start == 0.0 and change_h == 193.0
    assert therapy.clock.local(change_h).replace(tzinfo=None) == CHANGED


def test_issue_13_the_cached_dates_count_the_refill_and_change_on_the_pump_clock(
    pump_across_the_change,
) -> None:
    with store.transaction(pump_across_the_change) as session:
        overview = store.clinic_overview(session, now=NOW)
    (entry,) = overview.entries
    dates = entry.dates
    # 20 mL: 193 h at 0.5 mL/day = 4.0208 mL, then 0.6 mL/day down to the 2 mL alarm.
    used = 0.5 * 193 / 24
    assert dates.low_reservoir_h == pytest.approx(193 + (20 - 2 - used) / 0.6 * 24)
    assert dates.now_h == 24 * 13 + 1  # 20 Oct 09:00 BST to 2 Nov 09:00 GMT
