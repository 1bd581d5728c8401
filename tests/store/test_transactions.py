"""Records are written in transactions: a crash changes nothing, concurrent writers lose nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime

import pytest
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.clinic import RefillVisit
from itbtwin.errors import RecordError
from itbtwin.store import _refills
from store_clinic import NOW, one_patient

VISIT = RefillVisit(4.6, 5.0, 20.0, "Lioresal", 500.0, measured_ml=19.9)


def _count(engine, table) -> int:
    with store.transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(table))


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    one_patient(engine)
    return engine


def test_a_crash_inside_a_refill_leaves_the_database_as_it_was(clinic, monkeypatch):
    before = (_count(clinic, store.RefillRecord), _count(clinic, store.AuditEntry))

    def crash(*args, **kwargs):
        raise RuntimeError("power cut while writing the audit entry")

    monkeypatch.setattr(_refills, "audit", crash)
    with pytest.raises(RuntimeError, match="power cut"), store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        store.record_refill(
            session, "nurse", pump, VISIT, performed_at=datetime(2026, 10, 1, 10), lot="L2", now=NOW
        )
        assert _refills.RefillRecord in {type(o) for o in session.new} or pump.refills[-1].id
    after = (_count(clinic, store.RefillRecord), _count(clinic, store.AuditEntry))
    assert after == before


def test_bad_input_changes_nothing(clinic):
    before = _count(clinic, store.RefillRecord)
    too_big = RefillVisit(4.6, 5.0, 25.0, "Lioresal", 500.0)
    for visit, at, message in (
        (too_big, datetime(2026, 10, 1, 10), "25 mL is larger than the 20 mL reservoir"),
        (VISIT, datetime(2026, 12, 1, 10), "is in the future"),
    ):
        with pytest.raises(RecordError, match=message), store.transaction(clinic) as session:
            pump = store.find_pump(session, "NGP001")
            store.record_refill(session, "nurse", pump, visit, performed_at=at, lot="L", now=NOW)
    assert _count(clinic, store.RefillRecord) == before


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta
    from itbtwin import store
    from itbtwin.clinic import RefillVisit

    url, worker = sys.argv[1], int(sys.argv[2])
    engine = store.open_engine(url)
    now = datetime(2026, 11, 20, 12)
    for i in range(8):
        at = datetime(2026, 9, 2, 8) + timedelta(days=3 * i, hours=36 * worker)
        with store.transaction(engine) as session:
            pump = store.find_pump(session, "NGP001")
            store.record_event(
                session, f"w{worker}", pump, occurred_at=at, kind="interrogation",
                detail=f"worker {worker} visit {i}", now=now,
            )
            store.set_program(
                session, f"w{worker}", pump,
                {"mode": "continuous", "daily_dose": f"{250 + worker + i} mcg/day"},
                effective_at=at, now=now, why=f"worker {worker} step {i}",
            )
    engine.dispose()
    """
)


def test_two_processes_writing_for_one_pump_lose_no_record(clinic, database_url):
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, database_url, str(w)]) for w in (1, 2)
    ]
    assert [p.wait(timeout=120) for p in writers] == [0, 0]
    with store.transaction(clinic) as session:
        pump = store.find_pump(session, "NGP001")
        assert len(pump.events) == 16
        versions = sorted(v.version for v in pump.programs)
        assert versions == list(range(1, 18))
        actions = [e.action for e in store.audit_trail(session)]
        assert actions.count("program.set") == 16
        assert actions.count("event.record") == 16
