"""Issue 12 point 5, as an invariant: whatever amendments and voidings a clinic makes, no row is
ever deleted, every correction has its audit entry, and the pump reads exactly the entries no
correction has replaced (hypothesis over random correction sequences, SQLite in memory)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.clinic import RefillVisit
from store_clinic import IMPLANT, NOW, one_patient

VISITS = [IMPLANT + timedelta(days=10 * k) for k in range(1, 5)]
"""Four refills 10 days apart: 5 mL programmed each time (0.5 mL/day), 15 mL expected back."""
Step = tuple[int, bool, float]
"""(which refill, amend (else void), the amended withdrawn volume mL)."""


def _count(session, table) -> int:
    return session.scalar(select(func.count()).select_from(table))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3), st.booleans(), st.floats(14.0, 16.0).map(lambda v: round(v, 1))
        ),
        max_size=6,
    )
)
def test_corrections_never_delete_and_the_pump_reads_only_uncorrected_entries(steps: list[Step]):
    engine = store.open_engine("sqlite://")
    store.upgrade(engine)
    one_patient(engine)
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        for at in VISITS:
            visit = RefillVisit(15.0, 15.0, 20.0, "Lioresal", 500.0)
            store.record_refill(session, "n", pump, visit, performed_at=at, lot="L", now=NOW)
    done = {"amend": 0, "void": 0}
    for which, amend, withdrawn in steps:
        with store.transaction(engine) as session:
            pump = store.find_pump(session, "NGP001")
            current = {r.performed_at: r for r in pump.refills}
            entry = current.get(VISITS[which])
            if entry is None:  # voided before: nothing to correct at that time
                continue
            rows_before = _count(session, store.RefillRecord)
            if amend and entry.withdrawn_ml != withdrawn:
                store.amend_refill(session, "n", pump, entry, why="re-read", now=NOW,
                                   withdrawn_ml=withdrawn)  # fmt: skip
                done["amend"] += 1
                assert _count(session, store.RefillRecord) == rows_before + 1
            elif not amend:
                store.void_entry(session, "n", entry, why="in error")
                done["void"] += 1
                assert _count(session, store.RefillRecord) == rows_before
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        corrected = set(session.scalars(select(store.Correction.original_id)))
        every = set(session.scalars(select(store.RefillRecord.id)))
        assert len(every) == 1 + len(VISITS) + done["amend"]
        assert {r.id for r in pump.refills} == every - corrected
        assert len(corrected) == done["amend"] + done["void"]
        actions = [e.action for e in store.pump_audit(session, pump)]
        assert actions.count("refill.amend") == done["amend"]
        assert actions.count("refill.void") == done["void"]
        times = [r.performed_at for r in pump.refills]
        assert times == sorted(times) and len(set(times)) == len(times)
    engine.dispose()
