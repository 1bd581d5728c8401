"""The safety check sees the reservoir (issue 12 point 4): a change on an empty reservoir is
blocked (the patient would receive nothing), a refill after a time without drug warns, and a
reservoir at or below its low-reservoir alarm warns with the days left at the proposed rate.

Arithmetic: 300 mcg/day at 500 mcg/mL is 0.6 mL/day, so 1.5 mL lasts 1.5 / 0.6 = 2.5 days.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.clinic import ProgramChange, Verdict, check_program
from itbtwin.clinic._safety_rules import reservoir_reasons
from itbtwin.pump import DEVICES, Fill, Program

STABLE = Path(__file__).parents[2] / "examples" / "stable_sci_three_refills.toml"
PUMP = DEVICES["synchromed2-20"]  # low-reservoir alarm 2 mL (synchromed2:S25), empty at 0 mL
CHANGE = ProgramChange(
    Program.continuous(250, 500), Program.continuous(300, 500), 500, PUMP, reservoir_ml=15.0
)


def rules(change: ProgramChange) -> dict[str, tuple[Verdict, str, str]]:
    return {r.rule: (r.verdict, r.source, r.text) for r in reservoir_reasons(change)}


def test_issue_12_a_change_on_a_reservoir_empty_for_weeks_is_blocked_and_says_how_long():
    empty = dataclasses.replace(CHANGE, reservoir_ml=0.0, empty_for_h=21 * 24.0)
    verdict, source, text = rules(empty)["reservoir_empty"]
    assert verdict == Verdict.BLOCK and source == "synchromed2:S23"
    assert "empty for 21 days" in text and "receive nothing" in text
    check = check_program(empty)
    assert check.verdict == Verdict.BLOCK and not check.may_send
    assert "reservoir_empty" in check.rules


def test_a_reservoir_at_zero_without_a_known_duration_is_still_empty():
    verdict, _, text = rules(dataclasses.replace(CHANGE, reservoir_ml=0.0))["reservoir_empty"]
    assert verdict == Verdict.BLOCK and "empty (the pump calculates 0 mL left)" in text


def test_a_refill_with_the_change_ends_the_block_but_warns_of_the_restart():
    refilled = dataclasses.replace(
        CHANGE, reservoir_ml=0.0, empty_for_h=30.0, refill=Fill(20.0, 500.0)
    )
    verdict, source, text = rules(refilled)["reservoir_was_empty"]
    assert verdict == Verdict.WARN and source == "label:overdosage+overdose1991"
    assert "empty for 30 h" in text
    assert check_program(refilled).may_send


def test_below_the_low_reservoir_alarm_warns_with_the_days_left_at_the_proposed_rate():
    verdict, source, text = rules(dataclasses.replace(CHANGE, reservoir_ml=1.5))["reservoir_low"]
    assert verdict == Verdict.WARN and source == "synchromed2:S25"
    assert "holds 1.5 mL" in text and "0.6 mL/day" in text and "empty in 2.5 days" in text


def test_exactly_at_the_alarm_volume_the_alarm_sounds_and_warns():
    assert "reservoir_low" in rules(dataclasses.replace(CHANGE, reservoir_ml=2.0))


def test_an_unknown_reservoir_adds_no_finding():
    assert rules(dataclasses.replace(CHANGE, reservoir_ml=None)) == {}


@given(st.floats(min_value=2.0 + 1e-9, max_value=PUMP.reservoir_ml))
def test_a_reservoir_above_its_alarm_adds_no_finding(volume_ml):
    assert rules(dataclasses.replace(CHANGE, reservoir_ml=volume_ml)) == {}


@given(st.floats(min_value=1e-6, max_value=2.0))
def test_a_reservoir_between_empty_and_the_alarm_warns_and_never_blocks(volume_ml):
    found = reservoir_reasons(dataclasses.replace(CHANGE, reservoir_ml=volume_ml))
    assert [(r.rule, r.verdict) for r in found] == [("reservoir_low", Verdict.WARN)]


def test_a_scenario_file_whose_reservoir_is_below_the_alarm_warns_on_the_command_line(tmp_path):
    """A file's hour 0 is now: its [reservoir] is what the pump holds (1.5 mL here)."""
    text = STABLE.read_text().replace('volume = "20 mL"', 'volume = "1.5 mL"', 1)
    low = tmp_path / "low.toml"
    low.write_text(text)
    result = CliRunner().invoke(
        app, ["check-program", str(low), "--daily-dose", "300 mcg/day", "--json"]
    )
    out = json.loads(result.stdout)
    assert {r["rule"]: r["verdict"] for r in out["reasons"]}["reservoir_low"] == "warn"
