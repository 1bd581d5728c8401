"""Helpers of the demo tests: build a demo clinic in memory and read its records back as data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from itbtwin import store

TODAY = datetime(2026, 3, 2, 8)
"""A Monday morning: the demo's holidays fall on Mon 9 and Tue 10 March."""


def built(*, seed: int, size: int, today: datetime = TODAY) -> tuple[Engine, store.DemoClinic]:
    """A demo clinic in a fresh in-memory SQLite database."""
    engine = store.open_engine("sqlite://")
    store.upgrade(engine)
    with store.transaction(engine) as session:
        clinic = store.build_demo_clinic(session, seed=seed, today=today, size=size)
    return engine, clinic


def records(engine: Engine) -> dict[str, Any]:
    """Patients, pumps, programs, refills, events, assessments and audit contents (no times of
    the audit entries themselves, which are the wall clock's)."""
    out: dict[str, Any] = {}
    with store.transaction(engine) as session:
        for patient in store.list_patients(session):
            out[patient.identifier] = {
                **store.patient_fields(patient),
                "assessments": [
                    (a.assessed_at, a.mas, a.penn_frequency, a.penn_severity)
                    for a in patient.assessments
                ],
                "pumps": [
                    {
                        **store.pump_fields(pump),
                        "programs": [
                            (v.version, v.effective_at, v.document, v.verdict)
                            for v in pump.programs
                        ],
                        "refills": [
                            (
                                r.performed_at,
                                r.withdrawn_ml,
                                r.expected_ml,
                                r.injected_ml,
                                r.concentration_mcg_per_ml,
                                r.lot,
                                r.error_pct,
                            )
                            for r in pump.refills
                        ],
                        "events": [(e.occurred_at, e.kind, e.detail) for e in pump.events],
                    }
                    for pump in patient.pumps
                ],
            }
        out["audit"] = [
            (e.actor, e.action, e.entity, e.what, e.why) for e in store.audit_trail(session)
        ]
    return out
