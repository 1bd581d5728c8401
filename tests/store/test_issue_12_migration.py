"""Migration 0005 (issue 12): corrections, the bridge columns, discharge and a fault's measured
share, added to a database holding records at 0004, on SQLite and PostgreSQL; and taken back."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from itbtwin import store
from itbtwin.store._migrate import _config


def _columns(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_issue_12_migration_0005_keeps_the_records_and_adds_the_corrections(engine):
    store.upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO patient (identifier, birth_date, weight_kg, origin, diagnosis, "
                "communication_difficulty, prior_withdrawal, missed_visits) "
                "VALUES ('P001', '1980-05-01', 75.0, 'spinal', '', false, false, 0)"
            )
        )
    assert store.upgrade(engine, "0005") == "0005"
    assert "correction" in inspect(engine).get_table_names()
    assert {"bridge_from_mcg_per_ml", "bridge_volume_ml", "bridge_duration_h"} <= _columns(
        engine, "program_version"
    )
    assert "fraction" in _columns(engine, "event")
    with engine.connect() as connection:
        row = connection.execute(text("SELECT identifier, discharged_at FROM patient")).one()
    assert tuple(row) == ("P001", None)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    assert "correction" not in inspect(engine).get_table_names()
    assert "discharged_at" not in _columns(engine, "patient")
    assert store.upgrade(engine) == store.head_revision()
