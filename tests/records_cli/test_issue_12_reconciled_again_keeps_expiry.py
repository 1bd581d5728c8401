"""Issue 12: a refill reconciled again because the fill before it was corrected is the same
visit, so its amendment keeps the product's expiry date, as an amendment by hand does (the
re-reconciled row lost it; found folding the two amendment paths into one,
`store._corrections._amended`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from itbtwin import store
from itbtwin.clinic import RefillVisit

FIRST_AT = "2026-11-12 10:00"
EXPIRY = date(2027, 6, 30)


def _refills(records) -> list[tuple[datetime, date | None, bool]]:
    """(performed at, product expiry, superseded) of NGP001's refills, oldest first."""
    engine = store.open_engine(records.url)
    try:
        with store.transaction(engine) as session:
            pump = store.find_pump(session, "NGP001")
            corrected = set(session.scalars(select(store.Correction.original_id)))
            rows = session.scalars(
                select(store.RefillRecord)
                .where(store.RefillRecord.pump_id == pump.id)
                .order_by(store.RefillRecord.id)
            )
            return [(r.performed_at, r.product_expiry, r.id in corrected) for r in rows]
    finally:
        engine.dispose()


def test_issue_12_the_refill_reconciled_again_keeps_its_product_expiry(clinic):
    clinic.run(
        'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
        f'--concentration "500 mcg/mL" --at "{FIRST_AT}"'
    )
    engine = store.open_engine(clinic.url)
    try:
        with store.transaction(engine) as session:
            store.record_refill(
                session,
                "nurse.jones",
                store.find_pump(session, "NGP001"),
                RefillVisit(14.0, 15.0, 20.0, "Lioresal", 500.0),
                performed_at=datetime(2026, 11, 22, 10),
                lot="L3",
                now=datetime(2026, 11, 22, 11),
                product_expiry=EXPIRY,
            )
    finally:
        engine.dispose()
    clinic.run(f'refill amend NGP001 --at "{FIRST_AT}" --measured "18 mL" --reason "measured"')
    second = [r for r in _refills(clinic) if r[0] == datetime(2026, 11, 22, 10)]
    assert [(expiry, superseded) for _, expiry, superseded in second] == [
        (EXPIRY, True),
        (EXPIRY, False),
    ]
