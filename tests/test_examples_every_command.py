"""Issue 12, point 7: every shipped example runs through every command that accepts it, and each
command's answer is checked against the example itself (not just its exit status).

Scenarios go through `simulate`, `report scenario`, `refill plan`, `risk` and `check-program`
(`export --nonmem` reads the records, not scenario files); trials through `trial run` at a small
size; screening files through `screen`; dose histories through `forecast` with the command line
their header gives.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

import itbtwin.cli
from itbtwin.sim import load_scenario, run_twin

EXAMPLES = Path(__file__).parents[1] / "examples"
SCENARIOS = sorted(EXAMPLES.glob("*.toml"))
TRIALS = sorted((EXAMPLES / "trials").glob("*.toml"))
SCREENING = sorted((EXAMPLES / "screening").glob("*.toml"))
FORECASTS = sorted((EXAMPLES / "forecast").glob("*.toml"))
TRIAL_PATIENTS = 256
"""Patients per example trial here: one block, seconds on two cores."""


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _json(cli, *args: str) -> dict:
    result = cli(*args, "--json")
    assert result.exit_code == 0, (args, result.output, result.exception)
    return json.loads(result.stdout)


@cache
def _refill_plan(path: Path) -> dict:
    """`refill plan --json` of a scenario, run once for the tests that read it."""
    return _json(lambda *args: CliRunner().invoke(itbtwin.cli.app, list(args)), "refill", "plan",
                 str(path))  # fmt: skip


@cache
def _document(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_every_file_under_examples_is_run_by_this_module():
    every = set(EXAMPLES.rglob("*.toml"))
    assert every == {*SCENARIOS, *TRIALS, *SCREENING, *FORECASTS}
    assert SCENARIOS and TRIALS and SCREENING and FORECASTS


@pytest.mark.parametrize("path", SCENARIOS, ids=_ids(SCENARIOS))
def test_simulate_prints_the_twin_of_the_scenario(cli, path):
    outcome = run_twin(load_scenario(path))
    payload = _json(cli, "simulate", str(path))
    summary = payload["summary"]
    assert payload["scenario"] == outcome.scenario == _document(path)["scenario"]["name"]
    assert summary["delivered_mcg"] == pytest.approx(outcome.summary["delivered_mcg"])
    assert summary["delivered_mcg"] <= summary["programmed_mcg"] * (1 + 1e-9)
    assert [e["kind"] for e in payload["events"]] == [e.kind for e in outcome.events]
    table = cli("simulate", str(path))
    assert table.exit_code == 0, table.output
    assert outcome.scenario in table.stdout


@pytest.mark.parametrize("path", SCENARIOS, ids=_ids(SCENARIOS))
def test_report_scenario_writes_the_scenario_its_findings_and_sources(cli, path, tmp_path):
    out = tmp_path / "report.html"
    written = _json(cli, "report", "scenario", str(path), "--out", str(out))
    html = out.read_text(encoding="utf-8")
    name = _document(path)["scenario"]["name"]
    assert written["html"] == str(out) and name in written["title"]
    for section in ("Findings", "Events", "Sources"):
        assert f">{section}<" in html


def _ml_per_day_at(path: Path, hour: float) -> float:
    """The flow (mL/day) of the scenario's continuous program in force at `hour`."""
    document = _document(path)
    in_force = [p for p in document["program"] if float(p["at"].split()[0]) * 24 <= hour][-1]
    mcg_per_ml = in_force.get("concentration", document["reservoir"]["concentration"])
    return float(in_force["daily_dose"].split()[0]) / float(mcg_per_ml.split()[0])


@pytest.mark.parametrize("path", SCENARIOS, ids=_ids(SCENARIOS))
def test_refill_plan_dates_follow_the_reservoir_and_the_deadline_is_its_limit(cli, path):
    plan = _refill_plan(path)
    dates, window = plan["dates"], plan["window"]
    start = datetime.fromisoformat(_document(path)["scenario"]["start"].isoformat())
    assert datetime.fromisoformat(dates["now_at"]).replace(tzinfo=None) == start
    assert dates["now_h"] <= dates["low_reservoir_h"] <= dates["empty_h"]
    # The pump alarms at its low-reservoir volume: the hours from alarm to empty at the flow of
    # the program then in force are that volume (SynchroMed II 20 mL: 2 mL, every example).
    alarm_ml = (
        (dates["empty_h"] - dates["low_reservoir_h"])
        / 24
        * _ml_per_day_at(path, dates["low_reservoir_h"])
    )
    assert alarm_ml == pytest.approx(2.0, abs=1e-6)
    limit = datetime.fromisoformat(dates[f"{window['limited_by']}_at"])
    assert datetime.fromisoformat(window["deadline"]) == limit
    assert window["earliest"] <= window["latest"] <= window["deadline"][:10]


@pytest.mark.parametrize("path", SCENARIOS, ids=_ids(SCENARIOS))
def test_risk_ranks_the_scenario_with_the_days_of_drug_the_refill_plan_gives(cli, path):
    (patient,) = _json(cli, "risk", str(path))["patients"]
    dates = _refill_plan(path)["dates"]
    assert patient["name"] == path.stem
    assert patient["verdict"] in ("pass", "warn", "block")
    assert patient["days_left"] == pytest.approx((dates["empty_h"] - dates["now_h"]) / 24, abs=0.01)
    assert all(r["text"] and r["source"] for r in patient["reasons"])


@pytest.mark.parametrize("path", SCENARIOS, ids=_ids(SCENARIOS))
def test_check_program_of_a_ten_percent_rise_checks_it_and_dry_runs_it(cli, path):
    program = _document(path)["program"][0]
    current = float(program["daily_dose"].split()[0])
    proposed = f"{current * 1.1:g} mcg/day"
    check = _json(cli, "check-program", str(path), "--daily-dose", proposed)
    assert check["current_mcg_per_day"] == pytest.approx(current)
    assert check["proposed_mcg_per_day"] == pytest.approx(current * 1.1)
    assert check["verdict"] in ("pass", "warn") and check["may_send"]
    rows = check["dry_run"]["rows"]
    assert rows[0]["proposed_csf_ng_ml"] == pytest.approx(rows[0]["current_csf_ng_ml"])
    assert rows[-1]["proposed_csf_ng_ml"] > rows[-1]["current_csf_ng_ml"]


@pytest.mark.parametrize("path", TRIALS, ids=_ids(TRIALS))
def test_issue_12_trial_run_prints_every_outcome_of_each_example_trial(cli, path):
    size = ("--patients", str(TRIAL_PATIENTS))
    payload = _json(cli, "trial", "run", str(path), *size)
    labels = [o["label"] for o in _document(path)["outcomes"]]
    assert payload["patients"] == TRIAL_PATIENTS
    assert [o["label"] for o in payload["outcomes"]] == labels
    for outcome in payload["outcomes"]:
        quantiles = outcome.get("quantiles") or outcome.get("quantiles_ng_ml") or {}
        assert list(quantiles.values()) == sorted(quantiles.values())
        shares = [v for k, v in outcome.items() if k.startswith("share") and isinstance(v, float)]
        for k, v in outcome.items():
            if k.startswith("share") and isinstance(v, dict):
                shares += v.values()
        assert all(0.0 <= s <= 1.0 for s in shares)
    table = cli("trial", "run", str(path), *size)  # the table, where the traceback was
    assert table.exit_code == 0, (table.output, table.exception)
    text = " ".join(table.stdout.split())
    assert f"{TRIAL_PATIENTS} patients" in text
    assert "_" not in "".join(re.findall(r"│[^│]*│ ([^│]*)│", table.stdout))  # measures


@pytest.mark.parametrize("path", SCREENING, ids=_ids(SCREENING))
def test_screen_reads_every_bolus_of_the_example(cli, path):
    decision = _json(cli, "screen", str(path), "--weight", "70 kg", "--age", "40 year")
    given = [float(b["dose"].split()[0]) for b in _document(path)["bolus"]]
    assert [b["observed"]["dose_mcg"] for b in decision["boluses"]] == given
    assert all(b["predicted"]["onset_h"] < b["predicted"]["peak_h"] for b in decision["boluses"])
    if path.stem == "responder_at_75":  # its header: eligible, effective dose 75 mcg
        assert (decision["status"], decision["effective_dose_mcg"]) == ("eligible", 75.0)


@pytest.mark.parametrize("path", FORECASTS, ids=_ids(FORECASTS))
def test_forecast_runs_as_its_header_says_and_steps_within_the_label(cli, path):
    run_line = next(line for line in path.read_text().splitlines() if "# Run: itbtwin" in line)
    args = shlex.split(run_line.split("# Run: itbtwin", 1)[1])
    args[1] = str(EXAMPLES.parent / args[1])
    forecast = _json(cli, *args)
    low, high = forecast["dose_90_mcg_per_day"]
    assert low < forecast["dose_mcg_per_day"] < high
    last = _document(path)["dose"][-1]["daily_dose"]
    assert forecast["current_mcg_per_day"] == pytest.approx(float(last.split()[0]))
    assert forecast["next_step_mcg_per_day"] <= forecast["current_mcg_per_day"] * 1.4 + 1e-9
