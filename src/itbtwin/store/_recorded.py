"""A recorded pump as the clinic commands take it: the same scenario document as a file, plus
what only the records know (the boxed-warning factors, the reservoir since the last fill).

`risk`, `refill plan` and `check-program` name a pump by its serial or by its patient's
identifier; `recorded_pump` looks it up and builds hour 0 = the time asked for
(`current_scenario`), so the same clinic functions run on the records as on a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.clinic import RiskRecord
from itbtwin.errors import RecordError
from itbtwin.sim import Scenario
from itbtwin.store._overview import implanted_pumps
from itbtwin.store._patients import risk_record
from itbtwin.store._programs import version_at
from itbtwin.store._pumps import active_pump
from itbtwin.store._scenario import RecordedReservoir, current_scenario, recorded_reservoir
from itbtwin.store._schema import Patient, Pump


@dataclass(frozen=True)
class RecordedPump:
    """One implanted pump at a time `at`: the patient's identifier (the name clinic outputs
    use), the serial, the scenario from `at` on, the risk record, the reservoir at `at` and the
    hours since the program in effect then began (h)."""

    name: str
    serial: str
    at: datetime
    scenario: Scenario
    record: RiskRecord
    reservoir: RecordedReservoir
    hours_since_program_change: float


def find_recorded(session: Session, key: str) -> Pump:
    """The implanted pump named by a serial or by its patient's identifier (`RecordError` when
    neither is recorded, when the key is both, or when the pump was explanted)."""
    pump = session.scalar(select(Pump).where(Pump.serial == key))
    patient = session.scalar(select(Patient).where(Patient.identifier == key))
    if pump is not None and patient is not None:
        raise RecordError(f"{key!r} is both a pump serial and a patient identifier in the records")
    if patient is not None:
        return active_pump(patient)
    if pump is None:
        raise RecordError(
            f"{key!r} is neither a scenario file nor a pump serial or patient identifier in the "
            "records (itbtwin patient list shows who is recorded)"
        )
    if pump.explanted_at is not None:
        raise RecordError(f"pump {key!r} was explanted on {pump.explanted_at:%Y-%m-%d %H:%M}")
    return pump


def recorded_pump(pump: Pump, *, at: datetime) -> RecordedPump:
    """The pump as the clinic commands take it at `at` (the clinic's wall-clock time)."""
    return RecordedPump(
        pump.patient.identifier,
        pump.serial,
        at,
        current_scenario(pump, now=at),
        risk_record(pump.patient),
        recorded_reservoir(pump, at),
        (at - version_at(pump, at).effective_at).total_seconds() / 3600,
    )


def recorded_pumps(session: Session, keys: list[str], *, at: datetime) -> list[RecordedPump]:
    """The pumps named (serials or patient identifiers), or every implanted pump when none is."""
    pumps = [find_recorded(session, k) for k in keys] if keys else implanted_pumps(session)
    return [recorded_pump(p, at=at) for p in pumps]
