"""The booking page refuses a trip already over beside its field, as `refill plan --travel` does
(issue 17, h42 retry: it was judged as a trip ahead); a trip under way is checked as before."""

from __future__ import annotations

import html
from datetime import timedelta

from web.test_trip_check import _pump_and_span


def test_issue_17_a_trip_over_before_today_is_refused_on_the_booking_page(clinic):
    patient, _ = _pump_and_span(clinic)
    today = clinic.clock.clinic.date()
    client = clinic.client("nurse-carol")
    over = f"away_from={today - timedelta(days=10)}&away_to={today - timedelta(days=1)}"
    page = client.get(f"/patients/{patient}/book?{over}")
    assert page.status_code == 200
    assert "the day the plan is for: give the trips still to come" in html.unescape(page.text)
    under_way = f"away_from={today - timedelta(days=1)}&away_to={today + timedelta(days=2)}"
    page = client.get(f"/patients/{patient}/book?{under_way}")
    assert "the trips still to come" not in html.unescape(page.text)
    assert "One full fill covers this trip" in html.unescape(page.text)
