"""Issue 14, point 4: withdrawal and overdose onset, level changes and end are events in the
twin's log (`simulate` table and `--json`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.sim import load_scenario, run_twin
from itbtwin.sim._twin_signals import signal_events

MISSED = Path(__file__).parents[1] / "examples" / "missed_refill.toml"


def test_signal_events_mark_onset_every_level_change_and_end() -> None:
    times = np.arange(6.0)
    withdrawal = np.array([False, True, True, False, False, False])
    level = np.array([0, 0, 1, 2, 1, 0])
    events = [(e.time_h, e.kind) for e in signal_events(times, withdrawal, level)]
    assert events == [
        (1.0, "withdrawal_onset"),
        (2.0, "overdose_onset"),
        (3.0, "withdrawal_end"),
        (3.0, "overdose_level"),
        (4.0, "overdose_level"),
        (5.0, "overdose_end"),
    ]
    details = [e.detail for e in signal_events(times, withdrawal, level)]
    assert "rises to level 2, severe overdose" in details[3]
    assert "ends after 3 h (highest level 2)" in details[5]


def test_a_signal_still_on_at_the_end_has_no_end_event() -> None:
    kinds = [e.kind for e in signal_events(np.arange(3.0), np.array([0, 1, 1]), np.zeros(3))]
    assert kinds == ["withdrawal_onset"]


def test_issue_14_missed_refill_logs_withdrawal_from_its_onset_to_its_end() -> None:
    outcome = run_twin(load_scenario(MISSED))
    onset = [e.time_h for e in outcome.events if e.kind == "withdrawal_onset"]
    end = [e.time_h for e in outcome.events if e.kind == "withdrawal_end"]
    # dry at day 40.0, the tone effect halves some hours later (7.7 h for a maintained typical
    # adult, docs/response.md §6); the refill on day 44 restores it within hours
    assert len(onset) == 1 and 40 * 24 < onset[0] < 40 * 24 + 12
    assert len(end) == 1 and 44 * 24 < end[0] < 44 * 24 + 12
    assert outcome.summary["withdrawal_h"] == pytest.approx(end[0] - onset[0])
    on = outcome.series["withdrawal_signal"] == 1
    assert outcome.series["time_h"][on][0] == onset[0]  # the event is the series' first hour


def test_issue_14_simulate_json_and_table_show_signal_events() -> None:
    runner = CliRunner()
    out = json.loads(runner.invoke(app, ["simulate", str(MISSED), "--json"]).output)
    kinds = [e["kind"] for e in out["events"]]
    assert "withdrawal_onset" in kinds and "withdrawal_end" in kinds
    assert set(out["withdrawal_signal"]) == {0, 1}
    table = runner.invoke(app, ["simulate", str(MISSED)]).output
    assert re.search(r"40\.\d\d .* withdrawal[ _]onset", table)  # the kind, or its human label
    assert re.search(r"44\.\d\d .* withdrawal[ _]end", table)
