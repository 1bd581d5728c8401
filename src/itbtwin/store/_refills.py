"""Refill visits: reconciled against the pump's calculation and checked for a pocket fill
(`clinic.reconcile_refill`) before they are stored, with the findings in the audit trail."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from itbtwin.clinic import RefillCheck, RefillVisit, reconcile_refill
from itbtwin.display import format_date, format_datetime
from itbtwin.errors import RecordError
from itbtwin.store._audit import audit
from itbtwin.store._bounds import check_bound, check_text
from itbtwin.store._programs import fill_at, fill_volume_ml, version_at
from itbtwin.store._pumps import device_of, lock_pump
from itbtwin.store._schema import EventRecord, Pump, RefillRecord
from itbtwin.store._times import require_past, wall_time

LONGEST_SHELF_LIFE = timedelta(days=3653)
"""An expiry further than 10 years from the refill is a typing error [assumption: ampoules
and vials are dated a few years ahead], as the records' latest dates are 10 years ahead."""


def check_expiry(expiry: date, day: date) -> date:
    """Refuse a product expiry before the refill's `day` (label: do not use after the expiry
    date) or more than `LONGEST_SHELF_LIFE` after it (9999-12-31 was stored, issue 17)."""
    if expiry < day:
        raise RecordError(
            f"the product expired on {expiry:%d %b %Y}, before the refill: do not use it"
        )
    if expiry > day + LONGEST_SHELF_LIFE:
        raise RecordError(
            f"the expiry {expiry:%d %b %Y} is over 10 years ahead of the refill: check the date "
            "on the product"
        )
    return expiry


def store_refill(
    session: Session,
    actor: str,
    pump: Pump,
    visit: RefillVisit,
    *,
    performed_at: datetime,
    lot: str,
    now: datetime,
    note_pocket_fill: bool = True,
    product_expiry: date | None = None,
) -> tuple[RefillRecord, RefillCheck, dict[str, object]]:
    """Reconcile and add a refill row (no audit entry: the caller writes it); returns the row,
    the check and the audit trail's description of it. A suspected pocket fill is also recorded
    as an event unless `note_pocket_fill` is False (a visit reconciled again already has it).
    `product_expiry`, when given, is the filled product's expiry date: an expired product is
    refused (label: do not use after the expiry date)."""
    performed_at = wall_time(performed_at, pump.time_zone, "the refill")
    require_past(performed_at, now, "the refill")
    check_text(lot, "the lot")
    if product_expiry is not None:
        check_expiry(product_expiry, performed_at.date())
    lock_pump(session, pump)
    if performed_at <= pump.implanted_at:
        raise RecordError(
            f"the refill {format_datetime(performed_at)} is not after the implant "
            f"{format_datetime(pump.implanted_at)}"
        )
    if pump.explanted_at is not None and performed_at >= pump.explanted_at:
        raise RecordError(f"pump {pump.serial} was explanted on {format_date(pump.explanted_at)}")
    minute = performed_at.replace(second=0, microsecond=0)
    if any(r.performed_at.replace(second=0, microsecond=0) == minute for r in pump.refills):
        raise RecordError(
            f"pump {pump.serial} already has a refill at {format_datetime(minute)}: one visit is "
            "one refill (amend it with `itbtwin refill amend` if it was recorded wrong)"
        )
    previous = fill_at(pump, performed_at)
    check = reconcile_refill(
        visit,
        device_of(pump),
        last_fill_ml=fill_volume_ml(previous),
        program_concentration_mcg_per_ml=version_at(pump, performed_at).concentration_mcg_per_ml,
    )
    check_bound("injected_ml", visit.injected_ml, "a fill of")
    record = RefillRecord(
        performed_at=performed_at,
        withdrawn_ml=visit.withdrawn_ml,
        expected_ml=visit.expected_ml,
        injected_ml=visit.injected_ml,
        measured_ml=visit.measured_ml,
        product=visit.product,
        concentration_mcg_per_ml=visit.concentration_mcg_per_ml,
        lot=lot,
        discrepancy_ml=check.discrepancy_ml,
        error_pct=check.error_pct,
        pocket_discrepancy_ml=check.pocket_discrepancy_ml,
        pocket_fill_flag=check.pocket_fill_flag,
        performed_by=actor,
        product_expiry=product_expiry,
    )
    pump.refills.append(record)
    if check.pocket_fill_flag and note_pocket_fill:
        text = next(r.text for r in check.reasons if r.rule == "pocket_fill_suspected")
        pump.events.append(
            EventRecord(occurred_at=performed_at, kind="pocket_fill_suspected", detail=text)
        )
    session.flush()
    what = {
        "serial": pump.serial,
        "performed_at": performed_at.isoformat(),
        "withdrawn_ml": visit.withdrawn_ml,
        "expected_ml": visit.expected_ml,
        "injected_ml": visit.injected_ml,
        "measured_ml": visit.measured_ml,
        "product": visit.product,
        "concentration_mcg_per_ml": visit.concentration_mcg_per_ml,
        "lot": lot,
        "product_expiry": product_expiry.isoformat() if product_expiry else None,
        **check.as_dict(),
    }
    return record, check, what


def record_refill(
    session: Session, actor: str, pump: Pump, visit: RefillVisit, *, why: str = "", **fields: Any
) -> tuple[RefillRecord, RefillCheck]:
    """Reconcile and store a refill visit (volumes mL, concentration mcg/mL) with its audit
    entry: `fields` are `store_refill`'s (its time, lot, the clinic's `now`, the product's
    expiry date in its own column when given), checked there."""
    record, check, what = store_refill(session, actor, pump, visit, **fields)
    later = [
        r.performed_at
        for r in pump.refills
        if r is not record and r.performed_at > record.performed_at
    ]
    if later:  # a visit slipped in before the last one would change its reconciliation (issue 17)
        raise RecordError(
            f"the refill {format_datetime(record.performed_at)} is before pump {pump.serial}'s "
            f"last refill {format_datetime(max(later))}: refills are recorded in order (void the "
            "later one with `itbtwin refill void` first if a visit was left out)"
        )
    audit(session, actor, "refill.record", "refill", record.id, what, why)
    return record, check
