"""Refill dates from the records (issue 12 point 1) and their cache (issue 13 point 3).

Stability counts from the fill; an empty pump is described as empty (since when, days without
drug, what to do) and offered no date in the past; mean use is the programmed rate now; alarm
and empty dates past the stability limit are dated. Each pump's dates are stored with its
records and every kind of write to the pump, its patient or the settings drops them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from itbtwin import store
from itbtwin.clinic import RefillVisit, WindowOptions, schedule_entry
from itbtwin.pump import find_device
from itbtwin.store import _schedule_plans
from store_clinic import IMPLANT, NOW, one_patient

FILLED = datetime(2026, 8, 1, 10, 0)
TODAY = datetime(2026, 12, 6, 9, 0)


@pytest.fixture
def clinic(engine):
    store.upgrade(engine)
    one_patient(engine)
    return engine


def forty_ml_pump(engine) -> None:
    """The issue's pump: 40 mL of 2000 mcg/mL at 100 mcg/day (0.05 mL/day), filled 1 Aug 2026."""
    with store.transaction(engine) as session:
        patient = store.add_patient(
            session, "nurse", identifier="P040", birth_date=date(1970, 1, 1), weight_kg=80.0,
            origin="spinal", today=TODAY.date(),
        )  # fmt: skip
        store.implant(
            session, "dr", patient, device="synchromed2-40", serial="NGP040", implanted_at=FILLED,
            time_zone="Europe/London", catheter_model="8709SC", catheter_length_cm=50.0,
            tip_level="T10", fill=RefillVisit(0.0, 0.0, 40.0, "Lioresal", 2000.0), lot="L40",
            program={"mode": "continuous", "daily_dose": "100 mcg/day"}, now=FILLED,
        )  # fmt: skip


def entry_of(engine, name: str, now: datetime):
    with store.transaction(engine) as session:
        overview = store.clinic_overview(session, now=now)
    return next(e for e in overview.entries if e.name == name), overview


def test_issue_12_stability_counts_from_the_fill_and_far_alarms_are_dated(engine) -> None:
    store.upgrade(engine)
    forty_ml_pump(engine)
    entry, _ = entry_of(engine, "P040", TODAY)
    dates = entry.dates
    # 2026-08-01 10:00 BST + 180 × 24 h = 2027-01-28 09:00 GMT [synchromed2:S2].
    assert entry.window.limited_by == "stability"
    assert entry.window.deadline.date() == date(2027, 1, 28)
    assert dates.local(dates.stability_h).replace(tzinfo=None) == datetime(2027, 1, 28, 9, 0)
    assert dates.now_h == (TODAY - FILLED).total_seconds() / 3600 + 1  # the clocks went back
    # (40 - 2) mL / 0.05 mL/day = 760 days to the alarm; 40 / 0.05 = 800 days to empty.
    assert dates.low_reservoir_h == pytest.approx(760 * 24)
    assert dates.empty_h == pytest.approx(800 * 24)
    assert dates.mean_ml_per_day == pytest.approx(0.05)
    assert dates.left_ml == pytest.approx(40 - 0.05 * dates.now_h / 24)


def test_issue_12_an_empty_pump_is_described_as_empty_with_no_date_in_the_past(clinic) -> None:
    now = IMPLANT + timedelta(days=60)
    entry, overview = entry_of(clinic, "P001", now)
    dates = entry.dates
    # 20 mL at 0.5 mL/day: the alarm at day 36, empty at day 40, 20 days without drug by now.
    assert dates.low_reservoir_h == 36 * 24 and dates.empty_h == 40 * 24
    assert dates.empty_now and dates.left_ml == 0.0
    assert dates.mean_ml_per_day == pytest.approx(0.5)
    (state,) = entry.now
    assert state.rule == "empty_now" and state.verdict.value == "block"
    assert "empty since Sun 11 Oct 2026 10:00" in state.text
    assert "20.0 days without drug so far" in state.text and "refill now" in state.text
    assert entry.window.latest is None and entry.window.earliest is None
    assert entry.slip.visit >= now.date()
    (risk,) = overview.risks
    assert risk.days_left == pytest.approx(-(20 + 1 / 24), abs=1e-3)  # clocks back on 25 Oct
    assert "alarm_empty_now" in [r.rule for r in risk.reasons]


def test_cached_dates_are_the_dates_computed_from_the_records(clinic) -> None:
    entry, _ = entry_of(clinic, "P001", NOW)
    with store.transaction(clinic) as session:
        (row,) = session.scalars(select(store.PumpDatesRow))
        pump = store.find_pump(session, "NGP001")
        fresh = store.records_dates(pump, NOW)
        cached = store.cached_dates(session, [pump], NOW)[pump.id]
    assert row.fill_at == IMPLANT and row.empty_h == 40 * 24
    for dates in (entry.dates, cached):
        assert dates.as_dict() == fresh.as_dict()


def write_program(session, pump):
    store.set_program(
        session, "dr", pump, {"mode": "continuous", "daily_dose": "300 mcg/day"},
        effective_at=IMPLANT + timedelta(days=10), now=NOW, why="spasms",
    )  # fmt: skip


def write_refill(session, pump):
    store.record_refill(
        session, "nurse", pump, RefillVisit(1.0, 1.0, 20.0, "Lioresal", 500.0),
        performed_at=NOW - timedelta(hours=2), lot="L2", now=NOW,
    )  # fmt: skip


def write_event(session, pump):
    store.record_event(
        session, "nurse", pump, occurred_at=NOW - timedelta(hours=1), kind="occlusion",
        detail="no flow on aspiration", now=NOW,
    )  # fmt: skip


def write_revision(session, pump):
    store.revise(
        session, "dr", pump, revised_at=NOW - timedelta(hours=3), catheter_model="8709SC",
        catheter_length_cm=40.0, tip_level="T8", reason="fracture", now=NOW,
    )  # fmt: skip


def write_explant(session, pump):
    store.explant(session, "dr", pump, explanted_at=NOW - timedelta(hours=1), now=NOW, why="end")


def write_patient(session, pump):
    store.update_patient(
        session, "nurse", pump.patient.identifier, today=NOW.date(), injury_level="C5", why="MRI"
    )


def write_settings(session, pump):
    store.set_clinic_contact(session, "admin", phone="+44 20 7946 0000", why="new line")


WRITES = [
    write_program,
    write_refill,
    write_event,
    write_revision,
    write_explant,
    write_patient,
    write_settings,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.removeprefix("write_"))
def test_every_write_to_a_pump_drops_its_cached_dates(clinic, write) -> None:
    entry_of(clinic, "P001", NOW)
    with store.transaction(clinic) as session:
        assert len(session.scalars(select(store.PumpDatesRow)).all()) == 1
        write(session, store.find_pump(session, "NGP001"))
    with store.transaction(clinic) as session:
        assert session.scalars(select(store.PumpDatesRow)).all() == []


@pytest.mark.parametrize("correction", ["void", "amend"])
def test_issue_13_a_correction_of_a_refill_drops_the_pumps_cached_dates(clinic, correction):
    with store.transaction(clinic) as session:
        write_refill(session, store.find_pump(session, "NGP001"))
    refilled, _ = entry_of(clinic, "P001", NOW)
    with store.transaction(clinic) as session:
        assert len(session.scalars(select(store.PumpDatesRow)).all()) == 1
        pump = store.find_pump(session, "NGP001")
        refill = store.find_refill(pump, NOW - timedelta(hours=2))
        if correction == "void":
            store.void_entry(session, "dr", refill, why="recorded on the wrong pump")
        else:
            store.amend_refill(session, "nurse", pump, refill, why="lot typo", now=NOW, lot="L3")
    with store.transaction(clinic) as session:
        assert session.scalars(select(store.PumpDatesRow)).all() == []
    corrected, _ = entry_of(clinic, "P001", NOW)
    # Voided, the refill no longer counts: hours run from the implant's fill again, 1 Sep 10:00
    # to 20 Nov 12:00 London time = 80 days + 2 h + the hour the clocks went back on 25 Oct
    # (20 mL at 0.5 mL/day emptied after 40 days); amended (the lot only), from the refill.
    if correction == "void":
        assert corrected.dates.empty_now
        assert corrected.dates.now_h == 80 * 24 + 2 + 1
    else:
        assert not corrected.dates.empty_now
        assert corrected.dates.now_h == refilled.dates.now_h == pytest.approx(2.0)


def test_issue_13_a_refill_gives_new_dates_from_its_fill(clinic) -> None:
    before, _ = entry_of(clinic, "P001", NOW)
    with store.transaction(clinic) as session:
        write_refill(session, store.find_pump(session, "NGP001"))
    after, _ = entry_of(clinic, "P001", NOW)
    # Hours count from each fill: 20 mL at 0.5 mL/day lasts 40 days from the implant, then
    # from the refill 2 h ago.
    assert before.dates.empty_h == after.dates.empty_h == 40 * 24
    assert before.dates.empty_now and not after.dates.empty_now
    assert after.dates.now_h == pytest.approx(2.0)
    assert after.dates.left_ml == pytest.approx(20 - 0.5 * 2 / 24)
    with store.transaction(clinic) as session:
        (row,) = session.scalars(select(store.PumpDatesRow))
        assert row.fill_at == NOW - timedelta(hours=2)


def test_a_row_stored_for_another_fill_is_not_used(clinic) -> None:
    """Asking about a time before the last refill reads the earlier fill's dates."""
    with store.transaction(clinic) as session:
        write_refill(session, store.find_pump(session, "NGP001"))
    entry_of(clinic, "P001", NOW)
    earlier, _ = entry_of(clinic, "P001", IMPLANT + timedelta(days=1))
    assert earlier.dates.empty_h == 40 * 24
    device = find_device("synchromed2-20")
    assert earlier.dates.stability_h == device.stability_h


@pytest.mark.parametrize("days", [10, 26, 33, 45])
def test_issue_13_the_stored_plan_read_days_later_gives_the_entry_computed_that_day(
    clinic, monkeypatch, days
) -> None:
    """The window and slip read from the plan stored at the fill equal `schedule_entry` on the
    day: before the window, in it, after a holiday moved its last day, once overdue."""
    holidays = tuple(IMPLANT.date() + timedelta(days=d) for d in range(27, 31))
    options = WindowOptions(holidays=holidays)
    with store.transaction(clinic) as session:
        store.clinic_overview(session, now=IMPLANT + timedelta(hours=1), options=options)
        (row,) = session.scalars(select(store.PumpDatesRow))
        assert row.plan_key is not None and row.plan["moved"]
    monkeypatch.setattr(_schedule_plans, "made_plan", lambda *_: pytest.fail("plan made again"))
    with store.transaction(clinic) as session:
        now = IMPLANT + timedelta(days=days)
        (entry,) = store.clinic_overview(session, now=now, options=options).entries
    fresh = schedule_entry("P001", entry.dates, time_zone="Europe/London", options=options)
    assert entry == fresh


def test_issue_13_a_stored_row_that_changed_is_read_anew_not_from_what_the_process_kept(
    clinic,
) -> None:
    """The process keeps parsed rows by their whole content, so a row written behind its back
    (here by hand; the digest still matches) is what the overview reads."""
    entry_of(clinic, "P001", NOW)
    entry_of(clinic, "P001", NOW)
    with store.transaction(clinic) as session:
        session.execute(update(store.PumpDatesRow).values(empty_h=41 * 24.0))
    entry, _ = entry_of(clinic, "P001", NOW)
    assert entry.dates.empty_h == 41 * 24.0
