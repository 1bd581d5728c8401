"""The reservoir a program change sees is the pump's own arithmetic (issue 12 point 4).

For a pump filled with V mL and run at a constant r mL/day, t hours after the fill the pump
calculates max(0, V − r·t/24) mL, and once t > 24·V/r it has been empty for t − 24·V/r hours;
`program set` then blocks. Checked on random fills, doses and times, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itbtwin import store
from itbtwin.clinic import RefillVisit, Verdict, check_program
from itbtwin.store._programs import program_change

FILLED = datetime(2026, 3, 2, 10, 0)  # a winter fill: no clock change in the first 20 days
CONCENTRATION = 500.0  # mcg/mL
_NUMBERS = itertools.count(1)


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    return engine


def _pump(engine, volume_ml: float, dose_mcg: float) -> str:
    number = next(_NUMBERS)
    with store.transaction(engine) as session:
        patient = store.add_patient(
            session,
            "nurse",
            identifier=f"R{number:04d}",
            birth_date=date(1980, 5, 1),
            weight_kg=75.0,
            origin="spinal",
            today=FILLED.date(),
        )
        store.implant(
            session,
            "dr",
            patient,
            device="synchromed2-20",
            serial=f"RS{number:04d}",
            implanted_at=FILLED,
            time_zone="UTC",
            catheter_model="8709SC",
            catheter_length_cm=50.0,
            tip_level="T10",
            fill=RefillVisit(0.0, 0.0, volume_ml, "Lioresal", CONCENTRATION),
            lot="L1",
            program={"mode": "continuous", "daily_dose": f"{dose_mcg!r} mcg/day"},
            now=FILLED,
        )
    return f"RS{number:04d}"


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    volume_ml=st.floats(3.0, 20.0),
    dose_mcg=st.floats(100.0, 800.0),
    hours=st.floats(0.5, 60 * 24.0),
)
def test_issue_12_the_change_sees_the_pumps_arithmetic_and_blocks_once_empty(
    clinic, volume_ml, dose_mcg, hours
):
    serial = _pump(clinic, volume_ml, dose_mcg)
    rate = dose_mcg / CONCENTRATION  # mL/day
    at = FILLED + timedelta(hours=hours)
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, serial)
        document = {"mode": "continuous", "daily_dose": f"{dose_mcg!r} mcg/day"}
        change, _ = program_change(pump, document, effective_at=at)
    empty_after_h = 24 * volume_ml / rate
    assert change.reservoir_ml == pytest.approx(max(0.0, volume_ml - rate * hours / 24), abs=1e-6)
    if hours > empty_after_h + 1e-6:
        assert change.empty_for_h == pytest.approx(hours - empty_after_h, abs=1e-6)
        assert check_program(change).verdict == Verdict.BLOCK
        assert "reservoir_empty" in check_program(change).rules
    elif hours < empty_after_h - 1e-6:
        assert change.empty_for_h is None
        assert "reservoir_empty" not in check_program(change).rules
