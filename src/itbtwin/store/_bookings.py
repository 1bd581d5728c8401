"""Booked visits: the day a pump's patient is expected at the clinic (issue 15).

The refill queue compares the next booked visit with the low-reservoir alarm, so a clinic sees
"no visit booked before the alarm" at a glance. A booking is a clinic-local day; it is audited
like every record and ended by cancelling it (the row stays).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.store._audit import audit, utc_now
from itbtwin.store._schema import Pump
from itbtwin.store._web_schema import VisitBooking

BOOKING_HORIZON = timedelta(days=366)
"""The furthest ahead a visit may be booked [assumption: a year covers the longest refill
interval (the drug's stability limit, 180 days) twice; further is most likely a typo]."""


def book_visit(
    session: Session, actor: str, pump: Pump, visit_on: date, *, today: date, why: str = ""
) -> VisitBooking:
    """Book a visit for the pump on a clinic-local day, from today up to `BOOKING_HORIZON`
    ahead; refused for an explanted pump or a day already booked."""
    if pump.explanted_at is not None:
        raise RecordError(f"pump {pump.serial} was explanted: no visit can be booked for it")
    if visit_on < today:
        raise RecordError(f"{visit_on:%d %b %Y} is in the past: a visit is booked from today on")
    if visit_on > today + BOOKING_HORIZON:
        raise RecordError(
            f"{visit_on:%d %b %Y} is more than {BOOKING_HORIZON.days} days ahead: check the year"
        )
    if visit_on in {b.visit_on for b in booked_visits(session, pump, today)}:
        raise RecordError(f"a visit is already booked on {visit_on:%d %b %Y}")
    booking = VisitBooking(
        pump_id=pump.id, visit_on=visit_on, booked_by=actor.strip(), booked_at=utc_now()
    )
    session.add(booking)
    session.flush()
    what = {"serial": pump.serial, "visit_on": visit_on.isoformat()}
    audit(session, actor, "visit.book", "visit_booking", booking.id, what, why)
    return booking


def booked_visits(session: Session, pump: Pump, today: date) -> list[VisitBooking]:
    """The pump's visits booked from today on, not cancelled, earliest first."""
    query = (
        select(VisitBooking)
        .where(
            VisitBooking.pump_id == pump.id,
            VisitBooking.visit_on >= today,
            VisitBooking.cancelled_at.is_(None),
        )
        .order_by(VisitBooking.visit_on)
    )
    return list(session.scalars(query))


def next_visits(session: Session, today: date) -> dict[int, date]:
    """Each pump's next booked visit (pump id → day), from today on."""
    query = select(VisitBooking.pump_id, VisitBooking.visit_on).where(
        VisitBooking.visit_on >= today, VisitBooking.cancelled_at.is_(None)
    )
    found: dict[int, date] = {}
    for pump_id, day in session.execute(query):
        found[pump_id] = min(day, found.get(pump_id, day))
    return found


def visit_before(booked: date | None, alarm: datetime | None) -> str:
    """How the next booked visit stands against the low-reservoir alarm, for the refill queue:
    "booked" (on or before the alarm's day), "after the alarm", "no visit booked before the
    alarm", or "none booked" (no alarm in the forecast)."""
    if booked is None:
        return "none booked" if alarm is None else "no visit booked before the alarm"
    if alarm is not None and booked > alarm.date():
        return "after the alarm"
    return "booked"
