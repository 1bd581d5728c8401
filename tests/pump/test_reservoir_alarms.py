"""Reservoir arithmetic and alarms: low reservoir, tones, stability cap, ERI and end of service
[pumps.md §8.1, 8.2, 8.6, 8.11]."""

from __future__ import annotations

import dataclasses

import pytest

from itbtwin.pump import Fault, Fill, Refill, days_to_low_reservoir, deliver, refill_due_day

from .conftest import DAY, therapy


def test_low_reservoir_alarm_after_36_days_at_half_ml_per_day() -> None:
    assert days_to_low_reservoir(20, 2, 0.5) == 36.0
    alarms = deliver(therapy(days=37)).events_of("alarm", "low_reservoir")
    assert [a.time_h / DAY for a in alarms] == [36.0]


def test_low_reservoir_alarm_after_76_days_with_a_40_ml_fill() -> None:
    assert days_to_low_reservoir(40, 2, 0.5) == 76.0
    delivery = deliver(therapy("synchromed2-40", fill_ml=40, days=80))
    assert delivery.events_of("alarm", "low_reservoir")[0].time_h == 76.0 * DAY


def test_low_reservoir_sounds_a_single_tone_every_hour_until_the_refill_clears_it() -> None:
    plan = therapy(days=40, refills=(Refill(38 * DAY, Fill(20, 500)),))
    delivery = deliver(plan)
    tones = delivery.events_of("tone", "low_reservoir")
    assert [t.time_h for t in tones] == [36 * DAY + k for k in range(48)]
    assert {t.tone for t in tones} == {"single"}
    assert delivery.events_of("alarm_cleared", "low_reservoir")[0].time_h == 38 * DAY


def test_empty_reservoir_is_critical_two_tone_every_ten_minutes() -> None:
    delivery = deliver(therapy(days=41))
    alarm = delivery.events_of("alarm", "empty_reservoir")[0]
    assert alarm.time_h == 40 * DAY and alarm.tone == "two_tone"
    tones = delivery.events_of("tone", "empty_reservoir")
    assert len(tones) == 144 and tones[1].time_h - tones[0].time_h == pytest.approx(1 / 6)
    assert delivery.events_of("reservoir_dry")[0].time_h == 40 * DAY


def test_without_tones_the_log_keeps_every_other_event_and_the_same_delivery() -> None:
    plan = therapy(days=41)
    full, quiet = deliver(plan), deliver(plan, tones=False)
    assert len(full.events_of("tone")) == 5 * 24 + 24 * 6  # low hourly from day 36, empty 10-min
    assert quiet.events_of("tone") == []
    assert list(quiet.events) == [e for e in full.events if e.kind != "tone"]
    assert quiet.events_of("alarm", "empty_reservoir")[0].time_h == 40 * DAY
    assert (quiet.intrathecal_mcg_per_h == full.intrathecal_mcg_per_h).all()


def test_refill_is_due_by_day_180_even_when_the_alarm_would_come_later() -> None:
    assert days_to_low_reservoir(40, 2, 0.1) == 380.0
    assert refill_due_day(40, 2, 0.1, stability_days=180) == 180.0


def test_a_fill_kept_past_180_days_is_logged_as_past_its_stability() -> None:
    delivery = deliver(therapy("synchromed2-40", fill_ml=40, daily_mcg=50, days=200))
    assert [e.time_h for e in delivery.events_of("stability_expired")] == [180 * DAY]


def test_eri_sounds_single_tone_then_the_pump_stops_90_days_later() -> None:
    device_eos = 7 * 365.25 * DAY
    start_age = device_eos - 100 * DAY
    plan = therapy("synchromed2-40", fill_ml=40, daily_mcg=50, days=105, pump_age_h=start_age)
    delivery = deliver(plan)
    eri = delivery.events_of("alarm", "eri")[0]
    stop = delivery.events_of("end_of_service")[0]
    assert eri.time_h == 10 * DAY and eri.tone == "single"
    assert stop.time_h - eri.time_h == 90 * DAY
    assert stop.tone == "two_tone"
    assert delivery.intrathecal_mcg_per_h[-1] == 0.0


def test_premature_eri_still_gives_90_days_and_never_runs_past_7_years() -> None:
    plan = therapy("synchromed2-40", fill_ml=40, daily_mcg=50, days=100)
    delivery = deliver(dataclasses.replace(plan, faults=(Fault("premature_eri", 5 * DAY),)))
    stop = delivery.events_of("end_of_service")[0]
    assert stop.time_h == 95 * DAY
    late = deliver(therapy(days=30, pump_age_h=7 * 365.25 * DAY - 20 * DAY))
    assert late.events_of("end_of_service")[0].time_h == pytest.approx(20 * DAY)
