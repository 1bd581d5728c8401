"""Missed refill visits are counted one way everywhere, at the question's time (known problem 2
of the hand-computed cases: a recorded ``missed_visit`` was never counted, a ``missed_refill``
counted until the next revision, and the patient's typed count was read as it is today).

Definition (the boxed warning's "refill scheduling", label:boxed-warning): the visits typed on the
patient (`--missed-visits`, missed before these records) plus each day with a recorded
``missed_visit`` or ``missed_refill`` event at or before the question's time, on any of the
patient's pumps; a revision or a refill does not undo a missed visit. The risk rule: 1 warn,
2 or more block.

Hand case, NGP001 implanted 2 Nov 2026: a missed visit on Sat 7 Nov 10:00, a missed refill on
Sun 8 Nov 10:00 and a missed visit on Sun 8 Nov 11:00 (the same visit: one day), a revision on
Mon 9 Nov. On 6 Nov: 0; on 7 Nov 12:00: 1 (warn); on 20 Nov: 2 (block).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from clinical_cases.conftest import revision, risk_reasons
from itbtwin.store._fault_closing import missed_visits


def _missed(clinic, as_of: str) -> list[tuple[str, str] | None]:
    """The missed-visits finding (verdict, text) of `risk` and of `schedule` at `as_of`."""
    return [
        next(((r["verdict"], r["text"]) for r in reasons if r["rule"] == "missed_visits"), None)
        for reasons in risk_reasons(clinic, as_of)
    ]


@pytest.fixture
def missed(clinic):
    clinic.run('pump event NGP001 --kind missed_visit --at "2026-11-07 10:00"')
    clinic.run('pump event NGP001 --kind missed_refill --at "2026-11-08 10:00"')
    clinic.run('pump event NGP001 --kind missed_visit --at "2026-11-08 11:00"')
    clinic.run(revision("2026-11-09 10:00", "catheter replaced"))
    return clinic


def test_recorded_missed_visits_count_by_day_from_their_date_and_a_revision_keeps_them(missed):
    assert _missed(missed, "2026-11-06 09:00") == [None, None]
    assert _missed(missed, "2026-11-07 12:00") == [("warn", "1 missed refill visit")] * 2
    assert _missed(missed, "2026-11-20 09:00") == [("block", "2 missed refill visits")] * 2


def test_the_typed_count_is_visits_before_the_records_and_adds_to_the_recorded_ones(missed):
    missed.run("patient update P001 --missed-visits 1 --reason history")
    assert _missed(missed, "2026-11-06 09:00") == [("warn", "1 missed refill visit")] * 2
    assert _missed(missed, "2026-11-20 09:00") == [("block", "3 missed refill visits")] * 2


def test_an_open_missed_refill_is_not_counted_twice_and_closes_at_the_next_refill(clinic):
    clinic.run('pump event NGP001 --kind missed_refill --at "2026-11-08 10:00"')
    rules = clinic.data('risk NGP001 --as-of "2026-11-09 09:00"')["patients"][0]["reasons"]
    found = {r["rule"]: (r["verdict"], r["text"]) for r in rules}
    assert found["missed_visits"] == ("warn", "1 missed refill visit")
    assert found["fault_missed_refill"][0] == "warn"
    clinic.run(
        'refill record NGP001 --withdrawn "3.7 mL" --expected "4 mL" --injected "20 mL" '
        '--concentration "500 mcg/mL" --at "2026-11-10 10:00"'
    )
    rules = clinic.data('risk NGP001 --as-of "2026-11-11 09:00"')["patients"][0]["reasons"]
    assert {r["rule"] for r in rules} >= {"missed_visits"}
    assert "fault_missed_refill" not in {r["rule"] for r in rules}


def test_missed_visits_on_one_day_are_one_visit():
    events = [
        (datetime(2026, 11, 8, 10), "missed_refill"),
        (datetime(2026, 11, 8, 11), "missed_visit"),
        (datetime(2026, 11, 9, 10), "interrogation"),
    ]
    assert missed_visits(2, events) == 3
