"""`itbtwin schedule`: refill windows from the records, most urgent first, and the risk list.

NGP001 (implanted 2 Nov 2026 10:00 GMT, 20 mL at 0.5 mL/day) sounds its 2 mL low-reservoir alarm
after (20 − 2) / 0.5 = 36 days, on Tue 8 Dec 2026 10:00; with the default 7-day margin and window
the clinic refills it in the 7 days from Wed 25 Nov to Tue 1 Dec.
"""

from __future__ import annotations

from itbtwin.cli import _schedule


def test_schedule_lists_windows_most_urgent_first_with_the_risks(two_pumps):
    out = two_pumps.data('schedule --as-of "2026-11-20 09:00" --days 14')
    assert out["now"] == "2026-11-20T09:00:00" and out["days"] == 14
    assert [d["patient"] for d in out["due"]] == ["P001"]
    assert out["due"][0]["serial"] == "NGP001"
    first = out["pumps"][0]
    assert first["name"] == "P001"
    assert first["dates"]["low_reservoir_at"].startswith("2026-12-08T10:00")
    assert first["window"]["earliest"] == "2026-11-25" and first["window"]["latest"] == "2026-12-01"
    assert [p["name"] for p in out["pumps"]] == ["P001", "P002"]
    assert set(out["at_risk"]) == {"P001", "P002"}  # T4 injury; communication difficulty
    rules = {r["name"]: [x["rule"] for x in r["reasons"]] for r in out["risks"]}
    assert "label_risk_factor" in rules["P001"]


def test_a_pump_past_its_deadline_is_flagged_overdue(clinic):
    text = clinic.run('schedule --as-of "2026-12-07 09:00"').stdout
    assert "OVERDUE" in text and "NGP001" in text
    out = clinic.data('schedule --as-of "2026-12-07 09:00"')
    assert out["pumps"][0]["window"]["latest"] is None


def test_holidays_and_opening_days_move_the_window(clinic):
    out = clinic.data(
        'schedule --as-of "2026-11-20 09:00" --open mon,wed --holiday 2026-11-30 --margin "7 day"'
    )
    assert out["pumps"][0]["window"]["latest"] == "2026-11-25"  # Tue 1 closed, Mon 30 holiday


def test_many_pumps_show_a_progress_bar(clinic, monkeypatch):
    seen = []

    def track(pumps, *args, **kwargs):
        seen.extend(p.serial for p in pumps)
        return pumps

    monkeypatch.setattr(_schedule, "QUIET_UP_TO", 0)
    monkeypatch.setattr(_schedule, "track", track)
    clinic.run('schedule --as-of "2026-11-20 09:00"')
    assert seen == ["NGP001"]
