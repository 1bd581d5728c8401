"""Issue 12 point 1: the schedule, the patient report's replay and `simulate` on the exported
scenario of the same recorded pump give the same low-reservoir and empty times, to the minute.

Random small clinics: pumps implanted at random times with random fills and doses, some with a
later program change (continuous or flex) or a refill, read at a random `now` (some pumps still
full, some overdue, some empty for weeks). The schedule's dates (`clinic_overview`, exact
arithmetic, cached) are compared with the twin replaying the records from the last fill
(`history_scenario` + `run_twin`, what `report patient` runs) and with `itbtwin simulate --json`
on that scenario saved as a file.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itbtwin import store
from itbtwin.clinic import RefillVisit
from itbtwin.sim import run_twin, save_scenario

START = datetime(2026, 3, 1, 9, 0)
MINUTE_H = 1 / 60
_serials = itertools.count(1)


def _day_time(after: datetime, days: int, hours: int) -> datetime:
    """A clinic time `days` after `after`'s day, between 09:00 and 17:00 (a time that exists
    in Europe/London, whose clocks jump at 01:00)."""
    day = after.replace(hour=9, minute=0) + timedelta(days=days)
    return day + timedelta(hours=hours)


@st.composite
def recorded_pumps(draw):
    """One pump's records: implant (fill, dose), maybe a program change and a refill; `now`."""
    implanted = _day_time(START, draw(st.integers(0, 200)), draw(st.integers(0, 8)))
    fill = float(draw(st.integers(8, 20)))
    dose = float(draw(st.sampled_from((100, 150, 250, 400))))
    change = None
    if draw(st.booleans()):
        at = _day_time(implanted, draw(st.integers(1, 10)), draw(st.integers(0, 8)))
        new = dose * draw(st.sampled_from((0.8, 0.9, 1.1, 1.2)))
        change = (at, new, draw(st.booleans()))
    refill = None
    if draw(st.booleans()):
        refill = _day_time(implanted, draw(st.integers(11, 13)), draw(st.integers(0, 8)))
    now = _day_time(implanted, draw(st.integers(14, 90)), draw(st.integers(0, 8)))
    return implanted, fill, dose, change, refill, now


def _program(dose: float, flex: bool) -> dict:
    if not flex:
        return {"mode": "continuous", "daily_dose": f"{dose:g} mcg/day"}
    night, day = round(dose * 0.8, 3), round(dose * 1.2, 3)
    return {
        "mode": "flex",
        "step": [
            {"start": "00:00", "duration": "12 h", "rate": f"{night:g} mcg/day"},
            {"start": "12:00", "duration": "12 h", "rate": f"{day:g} mcg/day"},
        ],
    }


def record(engine, pump_records) -> tuple[str, datetime]:
    implanted, fill, dose, change, refill, now = pump_records
    n = next(_serials)
    identifier, serial = f"R{n:04d}", f"SR{n:04d}"
    with store.transaction(engine) as session:
        patient = store.add_patient(
            session, "nurse", identifier=identifier, birth_date=date(1975, 1, 1),
            weight_kg=70.0, origin="spinal", today=now.date(),
        )  # fmt: skip
        pump = store.implant(
            session, "dr", patient, device="synchromed2-20", serial=serial,
            implanted_at=implanted, time_zone="Europe/London", catheter_model="8709SC",
            catheter_length_cm=50.0, tip_level="T10",
            fill=RefillVisit(0.0, 0.0, fill, "Lioresal", 500.0), lot="L",
            program={"mode": "continuous", "daily_dose": f"{dose:g} mcg/day"}, now=now,
        )  # fmt: skip
        if change is not None:
            at, new, flex = change
            store.set_program(
                session, "dr", pump, _program(new, flex), effective_at=at, now=now,
                why="titration", override_reason="property test",
            )  # fmt: skip
        if refill is not None and refill < now:
            store.record_refill(
                session, "nurse", pump, RefillVisit(1.0, 1.0, 20.0, "Lioresal", 500.0),
                performed_at=refill, lot="L2", now=now,
            )  # fmt: skip
    return identifier, now


def _alarm_utc(events, start_utc: datetime) -> tuple[datetime | None, datetime | None]:
    def first(kind: str, alarm: str = "") -> float | None:
        found = [e for e in events if e["kind"] == kind and (not alarm or e.get("alarm") == alarm)]
        return found[0]["time_h"] if found else None

    low = first("alarm", "low_reservoir")
    empty = [
        t for t in (first("alarm", "empty_reservoir"), first("reservoir_dry")) if t is not None
    ]
    to_utc = lambda t: None if t is None else start_utc + timedelta(hours=t)  # noqa: E731
    return to_utc(low), to_utc(min(empty, default=None))


def _same_minute(a: datetime | None, b: datetime | None) -> None:
    assert (a is None) == (b is None), (a, b)
    if a is not None and b is not None:
        assert abs((a - b).total_seconds()) <= 60, (a, b)


@pytest.fixture
def clinic_db(engine):
    store.upgrade(engine)
    return engine


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(recorded_pumps(), min_size=1, max_size=3))
def test_issue_12_schedule_report_replay_and_simulate_agree_to_the_minute(
    clinic_db, cli, tmp_path, pumps
) -> None:
    for pump_records in pumps:
        identifier, now = record(clinic_db, pump_records)
        with store.transaction(clinic_db) as session:
            (entry,) = [
                e for e in store.clinic_overview(session, now=now).entries if e.name == identifier
            ]
            pump = store.active_pump(store.find_patient(session, identifier))
            dates = entry.dates
            ends = [t for t in (dates.empty_h, dates.now_h) if t is not None]
            until = dates.clock.local(max(ends) + 48).replace(tzinfo=None)
            scenario = store.history_scenario(pump, since=now, until=until)
        start_utc = scenario.therapy.clock.utc(0.0)
        assert start_utc == dates.clock.utc(0.0)  # both count from the last fill
        schedule = tuple(
            None if t is None else dates.clock.utc(t)
            for t in (dates.low_reservoir_h, dates.empty_h)
        )
        replay = _alarm_utc([e.as_dict() for e in run_twin(scenario).events], start_utc)
        path = save_scenario(scenario, tmp_path / f"{identifier}.toml")
        result = cli("simulate", str(path), "--json")
        assert result.exit_code == 0, result.output
        simulated = _alarm_utc(json.loads(result.stdout)["events"], start_utc)
        for found in (replay, simulated):
            _same_minute(schedule[0], found[0])
            _same_minute(schedule[1], found[1])
