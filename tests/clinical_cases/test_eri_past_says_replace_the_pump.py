"""A pump past its elective replacement indicator needs replacing, not a refill (known problem 3
of the hand-computed cases: the ERI set the refill deadline, so the window said "Refill now").

Hand case (`test_pump_past_eri`): SynchroMed II 40 mL, 2500 days old at the fill on Tue 1 Dec
2026 09:00 EST; ERI on Thu 29 Oct 2026 04:00 EDT, 33.25 days before the fill. The deadline is
min(low-reservoir alarm (none before end of service), stability, ERI) = the ERI, in the past, so
no open day is left: the clinician reads "replace the pump (ERI reached on Thu 29 Oct 2026)" in
the plan, the schedules, the reports (through `RefillWindow.action`) and the risk list.
"""

from __future__ import annotations

import json

from clinical_cases.test_pump_past_eri import old_pump  # noqa: F401  (fixture)
from itbtwin.clinic import refill_schedule
from itbtwin.report._clinic_report import _window
from itbtwin.sim import load_scenario

ACTION = "replace the pump (ERI reached on Thu 29 Oct 2026)"


def test_the_refill_plan_says_replace_the_pump_when_the_eri_is_past(cli, old_pump):  # noqa: F811
    table = cli("refill", "plan", old_pump).stdout
    assert "Replace the pump (ERI reached on Thu 29 Oct 2026)" in table
    assert "Refill now" not in table
    window = json.loads(cli("refill", "plan", old_pump, "--json").stdout)["window"]
    assert window["limited_by"] == "eri" and window["latest"] is None
    assert window["action"] == ACTION
    assert window["reasons"][-1]["rule"] == "replace_pump"


def test_the_schedule_flags_the_replacement_not_overdue(cli, old_pump):  # noqa: F811
    table = cli("refill", "schedule", old_pump).stdout
    assert "replace the pump" in table and "OVERDUE" not in table


def test_the_risk_list_says_when_the_eri_was_reached(cli, old_pump):  # noqa: F811
    risk = json.loads(cli("risk", old_pump, "--json").stdout)["patients"][0]
    assert [r["text"] for r in risk["reasons"]] == [
        "ERI reached on Thu 29 Oct 2026: replace the pump"
    ]


def test_the_clinic_report_reads_the_same_action(old_pump):  # noqa: F811
    [entry] = refill_schedule([("old", load_scenario(old_pump).therapy)])
    assert _window(entry) == f"overdue: {ACTION}"
    assert entry.window.flag == ACTION


def test_an_eri_too_close_to_refill_before_says_due_on_its_day(cli, old_pump):  # noqa: F811
    """The same pump 2463 days old at the fill: ERI at 2466.75 days of age, 3.75 days after the
    fill (14:00 UTC + 3.75 d = Sat 5 Dec 2026 08:00 UTC, 03:00 EST); the last refill day, 7 days
    (the margin) before it, was Sat 28 Nov, before the fill: no open day is left."""
    with open(old_pump) as f:
        text = f.read().replace('"2500 day"', '"2463 day"')
    with open(old_pump, "w") as f:
        f.write(text)
    window = json.loads(cli("refill", "plan", old_pump, "--json").stdout)["window"]
    assert window["action"] == "replace the pump (ERI due on Sat 05 Dec 2026)"
