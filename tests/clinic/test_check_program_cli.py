"""`itbtwin check-program`: verdict, rule names and sources, dry run, override with a reason."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.clinic import ProgramChange
from itbtwin.clinic._dry_run import dry_run
from itbtwin.errors import RegimenError
from itbtwin.pump import Fill, Program
from itbtwin.sim import load_scenario

runner = CliRunner()
STABLE = str(Path(__file__).parents[2] / "examples" / "stable_sci_three_refills.toml")


def run(*args: str):
    return runner.invoke(app, ["check-program", STABLE, *args, "--json"])


def test_safe_change_passes_with_a_dry_run_of_both_programs():
    result = run("--daily-dose", "275 mcg/day")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["verdict"] == "pass" and out["may_send"]
    assert len(out["dry_run"]["rows"]) == 13  # 0-72 h every 6 h
    last = out["dry_run"]["rows"][-1]
    assert last["proposed_csf_ng_ml"] > last["current_csf_ng_ml"]


def test_unit_slip_is_blocked_with_rule_and_source_and_exit_1():
    result = run("--daily-dose", "6000 mcg/day")
    assert result.exit_code == 1
    out = json.loads(result.output)
    rules = {r["rule"]: r["source"] for r in out["reasons"]}
    assert rules["unit_slip_per_hour"] == "synchromed2:S45"
    assert out["dry_run"]["proposed_signals"]["overdose_h"] > 0


def test_override_needs_a_reason_and_is_echoed():
    refused = run("--daily-dose", "400 mcg/day", "--override")
    assert isinstance(refused.exception, RegimenError)  # main() turns it into exit status 2
    result = run("--daily-dose", "400 mcg/day", "--override", "--reason", "inpatient, monitored")
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert out["verdict"] == "block" and out["override_reason"] == "inpatient, monitored"


def test_concentration_change_without_bridge_shows_withdrawal_and_later_alarm():
    now = load_scenario(STABLE)
    change = ProgramChange(
        Program.continuous(250, 500),
        Program.continuous(250, 2000),
        500,
        now.therapy.device,
        refill=Fill(20, 2000),
    )
    run_ = dry_run(now, change)
    assert run_.proposed_signals["withdrawal_h"] > 0
    assert run_.proposed_dates.low_reservoir_h > run_.current_dates.low_reservoir_h


def test_program_beyond_the_device_is_not_simulated_and_says_why():
    result = run("--daily-dose", "250 mcg/day", "--concentration", "5 mcg/mL")
    out = json.loads(result.output)
    assert result.exit_code == 1
    assert "concentration_mismatch" in {r["rule"] for r in out["reasons"]}
    assert out["dry_run"]["unavailable"]
