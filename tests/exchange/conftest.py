"""A small clinic built through the store functions: three patients with implants, refills, a
program change, a catheter revision, a pump replacement, assessments and events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import Engine

from itbtwin import store
from itbtwin.clinic import RefillVisit

NOW = datetime(2026, 11, 20, 12, 0)
IMPLANT = datetime(2026, 9, 1, 10, 0)
"""P001's implant: 20 mL of Lioresal 500 mcg/mL at 250 mcg/day (10.41 mcg/h)."""
CHANGE = datetime(2026, 9, 11, 10, 0)
"""P001's program change to 275 mcg/day, 240 h after the implant."""
REFILL = datetime(2026, 10, 1, 10, 0)
"""P001's refill, 720 h after the implant."""


def _patient(session, identifier: str, origin: str, birth: date):  # type: ignore[no-untyped-def]
    return store.add_patient(
        session, "nurse", identifier=identifier, birth_date=birth, weight_kg=70.0,
        origin=origin, today=NOW.date(), injury_level="T4" if origin == "spinal" else None,
    )  # fmt: skip


def _implant(session, patient, serial: str, at: datetime, mcg_per_day: float):  # type: ignore[no-untyped-def]
    return store.implant(
        session, "dr", patient, device="synchromed2-20", serial=serial, implanted_at=at,
        time_zone="Europe/London", catheter_model="8709SC", catheter_length_cm=50.0,
        tip_level="T10", fill=RefillVisit(0.0, 0.0, 20.0, "Lioresal", 500.0), lot="L1",
        program={"mode": "continuous", "daily_dose": f"{mcg_per_day} mcg/day"}, now=NOW,
    )  # fmt: skip


def build_clinic(engine: Engine) -> None:
    """P001 (change, refill, assessments), P002 (revision, event), P003 (replaced pump)."""
    store.upgrade(engine)
    with store.transaction(engine) as session:
        p1 = _patient(session, "P001", "spinal", date(1980, 5, 1))
        pump = _implant(session, p1, "NGP001", IMPLANT, 250)
        store.set_program(
            session, "dr", pump, {"mode": "continuous", "daily_dose": "275 mcg/day"},
            effective_at=CHANGE, now=NOW, why="spasms at night",
        )  # fmt: skip
        # 10 d at 0.5 mL/day + 20 d at 0.55 mL/day: 16 mL delivered, 4 mL left.
        visit = RefillVisit(4.0, 4.0, 20.0, "Lioresal", 500.0)
        store.record_refill(session, "nurse", pump, visit, performed_at=REFILL, lot="L2", now=NOW)
        store.assess(
            session, "physio", p1, assessed_at=datetime(2026, 8, 31, 9, 0),
            mas={"hip adductors L": "3", "knee extensors R": "2"}, now=NOW,
            penn_frequency=3, penn_severity=2,
        )  # fmt: skip
        store.assess(
            session, "physio", p1, assessed_at=datetime(2026, 9, 21, 9, 30),
            mas={"hip adductors L": "1+"}, now=NOW, penn_frequency=1, penn_severity=1,
            adverse_effects="mild drowsiness",
        )  # fmt: skip
        p2 = _patient(session, "P002", "cerebral", date(2001, 2, 3))
        pump2 = _implant(session, p2, "NGP002", datetime(2026, 9, 15, 9, 0), 100)
        store.revise(
            session, "dr", pump2, revised_at=datetime(2026, 10, 20, 14, 0),
            catheter_model="8709SC", catheter_length_cm=45.0, tip_level="T8",
            reason="catheter fracture", now=NOW,
        )  # fmt: skip
        store.record_event(
            session, "nurse", pump2, occurred_at=datetime(2026, 10, 19, 8, 0),
            kind="low_reservoir", detail="alarm heard at home", now=NOW,
        )  # fmt: skip
        p3 = _patient(session, "P003", "spinal", date(1960, 12, 24))
        _implant(session, p3, "NGP003", datetime(2026, 6, 1, 10, 0), 200)
        _implant(session, p3, "NGP004", datetime(2026, 10, 5, 10, 0), 200)


@pytest.fixture
def clinic_url(database_url) -> Iterator[str]:
    """A database of each kind holding the small clinic."""
    engine = store.open_engine(database_url)
    build_clinic(engine)
    engine.dispose()
    yield database_url


@pytest.fixture
def empty_sqlite(tmp_path) -> Iterator[str]:
    """A second, empty SQLite database with the schema."""
    url = f"sqlite:///{tmp_path / 'target.db'}"
    engine = store.open_engine(url)
    store.upgrade(engine)
    engine.dispose()
    yield url
