"""A recorded pump as the clinic commands take it: the same scenario document as a file, plus
what only the records know (the boxed-warning factors, the state of the reservoir at a time).

`risk`, `refill plan` and `check-program` name a pump by its serial or by its patient's
identifier; `recorded_pump` looks it up and reads it at a time `at` the way `itbtwin schedule`
does (`cached_dates`: the pump's dates from its last fill, `now_h` = `at`; `risk_of`), so a
recorded pump gets the same answer from every command. The program check's dry run starts from
the same `scenario` (the last fill) and reports from `at`, an empty reservoir included.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.clinic import PatientRisk, PumpDates, reservoir_state, risk_of
from itbtwin.display import format_date, format_datetime
from itbtwin.errors import RecordError
from itbtwin.sim import Scenario
from itbtwin.store._as_of import clinic_wall_time
from itbtwin.store._dates_cache import cached_dates, records_scenario
from itbtwin.store._overview import implanted_pumps
from itbtwin.store._patients import age_years, risk_record
from itbtwin.store._programs import version_at
from itbtwin.store._pumps import active_pump
from itbtwin.store._schema import Patient, Pump
from itbtwin.store._times import elapsed_hours, wall_time


@dataclass(frozen=True)
class RecordedPump:
    """One implanted pump read at `at` (the clinic's wall-clock time).

    - `name`: the patient's identifier (the name clinic outputs use); `serial`; `time_zone`.
    - `scenario`: the records from the last fill (hour 0) to `at`, with the program versions
      stored for later (`records_scenario`, as the dates read them); `dates`: its pump dates with
      `now_h` at `at`; `risk`: the withdrawal risk, as `itbtwin schedule` ranks it.
    - `hours_since_program_change` (h): since the program in effect at `at` began.
    """

    name: str
    serial: str
    time_zone: str
    at: datetime
    scenario: Scenario
    dates: PumpDates
    risk: PatientRisk
    hours_since_program_change: float

    @property
    def empty_since(self) -> datetime | None:
        """When the reservoir ran empty (clinic time), None while it holds drug at `at`."""
        if reservoir_state(self.dates)["empty_for_h"] is None:
            return None
        return self.dates.local(self.dates.empty_h).replace(tzinfo=None)  # type: ignore[union-attr]


def find_recorded(session: Session, key: str) -> Pump:
    """The implanted pump named by a serial or by its patient's identifier (`RecordError` when
    neither is recorded, when the key is both, when the pump was explanted or the patient
    discharged)."""
    pump = session.scalar(select(Pump).where(Pump.serial == key))
    patient = session.scalar(select(Patient).where(Patient.identifier == key))
    if pump is not None and patient is not None:
        raise RecordError(f"{key!r} is both a pump serial and a patient identifier in the records")
    if patient is not None and patient.discharged_at is not None:
        raise RecordError(f"patient {key!r} was discharged on {format_date(patient.discharged_at)}")
    if patient is not None:
        return active_pump(patient)
    if pump is None:
        raise RecordError(
            f"{key!r} is neither a scenario file nor a pump serial or patient identifier in the "
            "records (itbtwin patient list shows who is recorded)"
        )
    if pump.explanted_at is not None:
        raise RecordError(f"pump {key!r} was explanted on {format_datetime(pump.explanted_at)}")
    if pump.patient.discharged_at is not None:
        return find_recorded(session, pump.patient.identifier)
    return pump


def _recorded(pump: Pump, dates: PumpDates, at: datetime) -> RecordedPump:
    patient = pump.patient
    risk = risk_of(
        patient.identifier,
        dates,
        risk_record(patient, at),
        origin=patient.origin,
        age_years=age_years(patient, at.date()),
    )
    return RecordedPump(
        patient.identifier,
        pump.serial,
        pump.time_zone,
        at,
        records_scenario(pump, at)[0],
        dates,
        risk,
        elapsed_hours(at, version_at(pump, at).effective_at, pump.time_zone),
    )


def recorded_pumps(
    session: Session, keys: list[str], *, at: datetime, asked: str | None = None
) -> list[RecordedPump]:
    """The pumps named (serials or patient identifiers), or every implanted pump when none is,
    read at `at` (a pump named before its implant is a `RecordError`; the whole clinic read at
    such a time leaves it out). `asked`: the option that gave `at`, which is then checked as
    each named pump's wall-clock time (`wall_time`), the whole clinic's as `clinic_wall_time`;
    None: `at` is the clinic's time now, read as it is."""
    pumps = [find_recorded(session, k) for k in keys] if keys else implanted_pumps(session)
    if keys:
        walls = [
            at if asked is None else wall_time(at, p.time_zone, f"{asked} for pump {p.serial}")
            for p in pumps
        ]
    else:
        zones = Counter(p.time_zone for p in pumps)
        clinic_at = at if asked is None else clinic_wall_time(at, zones, asked)
        pumps = [p for p in pumps if p.implanted_at <= clinic_at]
        walls = [clinic_at] * len(pumps)
    for pump, wall in zip(pumps, walls, strict=True):
        if wall < pump.implanted_at:
            raise RecordError(
                f"pump {pump.serial} of {pump.patient.identifier} was implanted on "
                f"{format_datetime(pump.implanted_at)}: there are no records to read at "
                f"{format_datetime(wall)} (give a later --at or --as-of)"
            )
    dates: dict[int, PumpDates] = {}
    for wall in set(walls):  # one time for all but pumps named in zones apart
        read = [p for p, w in zip(pumps, walls, strict=True) if w == wall]
        dates |= cached_dates(session, read, wall)
    return [_recorded(p, dates[p.id], w) for p, w in zip(pumps, walls, strict=True)]
