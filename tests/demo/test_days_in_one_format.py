"""The demo's tables give days of drug as every other face does (`display.format_days_left`, one
decimal, "none, empty 36 h" once empty), not Python's round(x, 1), which printed 0.0 for an empty
pump and 12.0 for twelve days (issue 17). Five days after the demo's Monday, DEMO-005 (3.8 days
of drug left on Monday 08:00, seed 7) has been empty for 28 h."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from itbtwin import store
from itbtwin.cli import _app
from itbtwin.cli._demo import DAYS, _print_risks, _print_two_weeks
from itbtwin.cli._risk import days_of_drug
from itbtwin.clinic import WindowOptions

from .conftest import TODAY, built

NOW = TODAY + timedelta(days=5)


@pytest.fixture(scope="module")
def overview():
    engine, clinic = built(seed=7, size=8)
    with store.transaction(engine) as session:
        found = store.clinic_overview(
            session, now=NOW, options=WindowOptions(holidays=clinic.holidays)
        )
    yield found, clinic
    engine.dispose()


def _printed(monkeypatch, show) -> str:
    monkeypatch.setattr(_app.console, "width", 200)
    with _app.console.capture() as captured:
        show()
    return captured.get()


def test_issue_17_the_two_weeks_table_reads_days_of_drug_in_the_one_format(overview, monkeypatch):
    found, clinic = overview
    due = found.due_within(DAYS)
    text = _printed(monkeypatch, lambda: _print_two_weeks(due, NOW, clinic.holidays))
    for entry in due:
        ahead = entry.dates.ahead_h(entry.dates.empty_h)
        cell = days_of_drug(None if ahead is None else ahead / 24, entry.dates)
        assert re.search(rf"{re.escape(entry.name)}\b.*\b{re.escape(cell)}\b", text), entry.name
    assert not re.search(r"\b\d+\.0\b", text)  # 12.0 is 12
    assert re.search(r"DEMO-005 .* none, empty 28 h ", text)


def test_issue_17_the_risk_table_reads_days_of_drug_in_the_one_format(overview, monkeypatch):
    found, _ = overview
    text = _printed(monkeypatch, lambda: _print_risks(found))
    for risk in found.at_risk():
        row = next(line for line in text.splitlines() if f" {risk.name} " in line)
        assert f" {days_of_drug(risk.days_left, risk.dates)} " in row  # "after end of service"
    assert not re.search(r"│ \d+\.0 ", text)
    assert re.search(r"DEMO-005 .* none, empty 28 h ", text)
