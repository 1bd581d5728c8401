"""A small clinic built through the store functions, shared by the store tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, event, func, select

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


def add_patient_at(url: str, identifier: str) -> None:
    """A spinal patient (born 1980-01-01, 70 kg, added 2026-12-01) in the clinic at `url`, written
    through an engine of its own."""
    engine = store.open_engine(url)
    try:
        with store.transaction(engine) as session:
            store.add_patient(
                session, "nurse", identifier=identifier, birth_date=date(1980, 1, 1),
                weight_kg=70.0, origin="spinal", today=date(2026, 12, 1),
            )  # fmt: skip
    finally:
        engine.dispose()


def patient_count(url: str) -> int:
    """How many patients the clinic at `url` holds, read through an engine of its own."""
    engine = store.open_engine(url)
    try:
        with store.transaction(engine) as session:
            return session.scalar(select(func.count(store.Patient.id))) or 0
    finally:
        engine.dispose()


def two_patient_clinic(folder: Path) -> tuple[str, Path]:
    """A SQLite clinic made as `db upgrade` makes it, alone in `folder`/records, with P001 and
    P002: its URL and file."""
    path = folder / "records" / "clinic.db"
    url = f"sqlite:///{path}"
    engine = store.open_engine(url)
    store.upgrade(engine)
    engine.dispose()
    add_patient_at(url, "P001")
    add_patient_at(url, "P002")
    return url, path


@contextmanager
def statements_run(engine: Engine, starting: str = "") -> Iterator[list[str]]:
    """The SQL statements run on `engine` meanwhile that start with `starting` (white space
    folded; "": every one)."""
    run: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if " ".join(statement.split()).startswith(starting):
            run.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield run
    finally:
        event.remove(engine, "before_cursor_execute", count)


def locks_taken(engine: Engine) -> AbstractContextManager[list[str]]:
    """The pump locks (SELECT ... FOR UPDATE) run meanwhile; SQLite's compiler drops the
    clause, so a lock is counted as the pump's id read alone."""
    return statements_run(engine, "SELECT pump.id FROM pump WHERE pump.id =")
