"""`program set` sees the reservoir (issue 12 point 4): a program is never stored as PASS on a
pump whose reservoir, by the pump's own arithmetic, has been empty for weeks.

NGP001 (store_clinic.one_patient) was filled with 20 mL on 1 Sep 2026 10:00 at 250 mcg/day of
500 mcg/mL, 0.5 mL/day: empty after 20 / 0.5 = 40 days, on 11 Oct 10:00. On 1 Nov 10:00 it has
been empty for 21 days; on 1 Oct 10:00 it still holds 20 − 0.5 × 30 = 5 mL.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from itbtwin import store
from store_clinic import NOW, one_patient

EMPTY_AT = datetime(2026, 11, 1, 10)
HOLDING_AT = datetime(2026, 10, 1, 10)
NEW = {"mode": "continuous", "daily_dose": "275 mcg/day"}


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    one_patient(engine)
    return engine


def _set(engine, at: datetime, override: str | None = None):
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        return store.set_program(
            session,
            "dr",
            pump,
            NEW,
            effective_at=at,
            now=NOW,
            why="spasms",
            override_reason=override,
        )


def _versions(engine) -> list[tuple[int, str]]:
    with store.transaction(engine) as session:
        return [(v.version, v.verdict) for v in store.find_pump(session, "NGP001").programs]


def test_issue_12_program_set_on_a_pump_empty_for_weeks_is_blocked_and_stores_nothing(clinic):
    with pytest.raises(store.ProgramBlocked, match="reservoir_empty") as blocked:
        _set(clinic, EMPTY_AT)
    [empty] = [r for r in blocked.value.check.reasons if r.rule == "reservoir_empty"]
    assert "empty for 21 days" in empty.text and empty.source == "synchromed2:S23"
    assert _versions(clinic) == [(1, "initial")]


def test_issue_12_an_override_on_an_empty_pump_is_stored_as_block_never_pass(clinic):
    version, check = _set(clinic, EMPTY_AT, override="patient in hospital, refill follows")
    assert version.verdict == "block" and "reservoir_empty" in check.rules
    assert _versions(clinic) == [(1, "initial"), (2, "block")]


def test_a_pump_that_holds_drug_above_its_alarm_passes_as_before(clinic):
    version, check = _set(clinic, HOLDING_AT)
    assert check.change.reservoir_ml == pytest.approx(5.0, abs=1e-9)
    assert check.change.empty_for_h is None
    assert version.verdict == "pass"
