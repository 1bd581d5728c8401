"""The booking page checks a trip (issue 17): one longer than a full fill covers with the
clinic's margin is a visible warning with the numbers, as `refill plan --travel` gives it; one it
covers says so; a trip that ends before it starts is refused beside its field."""

from __future__ import annotations

import html
import math
from datetime import date, timedelta

from sqlalchemy import select

from itbtwin import store
from itbtwin.clinic import WindowOptions
from itbtwin.clinic._trip import fill_span


def _pump_and_span(clinic):  # type: ignore[no-untyped-def]
    """A patient with an implanted pump in the queue, and what one full fill of it lasts (d)."""
    now = clinic.clock.clinic
    with store.transaction(clinic.engine) as db:
        overview = store.clinic_overview(
            db, now=now, options=WindowOptions(holidays=clinic.holidays)
        )
        entry = next(e for e in overview.entries if e.dates.mean_ml_per_day > 0)
        patient = db.scalar(select(store.Patient).where(store.Patient.identifier == entry.name))
        therapy = store.current_scenario(store.active_pump(patient), now=now).therapy
        return patient.id, fill_span(therapy, entry.dates.mean_ml_per_day).days()


def _page(clinic, patient: int, first: date, days: int) -> str:  # type: ignore[no-untyped-def]
    last = first + timedelta(days=days - 1)
    url = f"/patients/{patient}/book?away_from={first.isoformat()}&away_to={last.isoformat()}"
    page = clinic.client("nurse-carol").get(url)
    assert page.status_code == 200
    return " ".join(html.unescape(page.text).split())


def test_issue_17_a_trip_one_fill_cannot_cover_is_warned_on_the_booking_page(clinic):
    patient, lasts = _pump_and_span(clinic)
    covered = math.floor(lasts) - 7  # the web clinic's 7-day margin
    first = clinic.clock.clinic.date() + timedelta(days=30)
    text = _page(clinic, patient, first, covered + 1)
    assert f"is {covered + 1} days, longer than one fill covers" in text
    assert "another ITB centre" in text and "[synchromed2:S23]" in text
    text = _page(clinic, patient, first, covered)
    assert "longer than one fill covers" not in text
    assert "One full fill covers this trip" in text


def test_a_trip_ending_before_it_starts_is_refused_beside_its_field(clinic):
    patient, _ = _pump_and_span(clinic)
    url = f"/patients/{patient}/book?away_from=2027-03-10&away_to=2027-03-01"
    page = clinic.client("nurse-carol").get(url)
    assert page.status_code == 200
    assert "the last day away comes before the first" in page.text
