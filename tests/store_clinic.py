"""A small clinic built through the store functions, shared by the store tests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from itbtwin import store
from itbtwin.clinic import RefillVisit

NOW = datetime(2026, 11, 20, 12, 0)
IMPLANT = datetime(2026, 9, 1, 10, 0)


def one_patient(engine: Engine, identifier: str = "P001", serial: str = "NGP001") -> None:
    """A spinal patient with a SynchroMed II 20 mL pump: 20 mL of 500 mcg/mL, 250 mcg/day."""
    with store.transaction(engine) as session:
        patient = store.add_patient(
            session,
            "nurse",
            identifier=identifier,
            birth_date=date(1980, 5, 1),
            weight_kg=75.0,
            origin="spinal",
            today=NOW.date(),
            injury_level="T4",
        )
        store.implant(
            session,
            "dr",
            patient,
            device="synchromed2-20",
            serial=serial,
            implanted_at=IMPLANT,
            time_zone="Europe/London",
            catheter_model="8709SC",
            catheter_length_cm=50.0,
            tip_level="T10",
            fill=RefillVisit(0.0, 0.0, 20.0, "Lioresal", 500.0),
            lot="L1",
            program={"mode": "continuous", "daily_dose": "250 mcg/day"},
            now=NOW,
        )
