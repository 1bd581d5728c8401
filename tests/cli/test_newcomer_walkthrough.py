"""Slips found by walking through the README as a newcomer: what a clinician reads says days past
48 h and rounds what it rounds the same way everywhere."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def test_pk_table_gives_times_past_48_h_in_days(cli):
    result = cli("pk", "--infusion", "500 mcg/day", "--days", "7")
    assert result.exit_code == 0, (result.output, result.exception)
    text = result.stdout
    assert "Baclofen over 7 days" in text
    tmax = re.search(r"│ Tmax\s*│([^\n]*)", text).group(1)
    # lumbar CSF plateaus late in a week-long infusion: its Tmax is in days, not "147.2 h"
    assert "days" in tmax and " h " not in tmax, tmax
    assert re.search(r"│ t½\s*│ 1\.51 h\s*│", text), text


def test_pk_json_keeps_hours(cli):
    payload = json.loads(cli("pk", "--infusion", "500 mcg/day", "--days", "7", "--json").stdout)
    assert payload["summary"]["csf_lumbar"]["tmax_h"] > 48
    assert payload["summary"]["csf_lumbar"]["half_life_h"] == pytest.approx(1.51, abs=0.005)


def test_readme_researcher_quick_look_names_the_trial_files_own_size():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("### Researcher", 1)[1].split("\n## ", 1)[0]
    trial = re.search(r"itbtwin trial run (\S+\.toml)", quick).group(1)
    said = re.search(r"the file says ([\d,]+)", quick).group(1)
    size = tomllib.loads((ROOT / trial).read_text(encoding="utf-8"))["population"]["size"]
    assert int(said.replace(",", "")) == size


def test_simulate_ledger_balance_reads_zero_not_float_noise(cli):
    # the fracture's ledger is out by -3.6e-15 mL: the table must not print 17 decimals
    result = cli("simulate", str(ROOT / "examples" / "catheter_fracture.toml"))
    assert result.exit_code == 0, (result.output, result.exception)
    line = re.search(r"│ Drug ledger balance error\s*│([^│]*)│", result.stdout).group(1)
    assert line.strip() == "0 mcg, 0 mL", line
    payload = json.loads(cli("simulate", str(ROOT / "examples" / "catheter_fracture.toml"),
                             "--json").stdout)  # fmt: skip
    mcg, ml = payload["summary"]["ledger_balance_error"]
    assert abs(mcg) < 1e-6 and abs(ml) < 1e-6


def test_risk_table_shows_verdicts_as_the_pass_warn_block_badges(cli):
    result = cli("risk", str(ROOT / "examples"))
    assert result.exit_code == 0, (result.output, result.exception)
    rows = dict(re.findall(r"│ (\w+)\s*│ (\w+)\s*│ \d", result.stdout))
    assert rows["catheter_fracture"] == "BLOCK"
    assert rows["missed_refill"] == "WARN"
    assert rows["stable_sci_three_refills"] == "PASS"


def test_a_dose_outside_the_range_is_written_to_the_pumps_hundredth_of_a_mcg():
    from itbtwin.clinic import range_flags
    from itbtwin.drug import dose_range_for

    (flag,) = range_flags(289.767, dose_range_for("spinal", 40))
    assert flag.rule == "dose_outside_typical_range"
    assert flag.text.startswith("289.77 mcg/day is below the 300-800 mcg/day"), flag.text
    (flag,) = range_flags(6000, dose_range_for("spinal", 40))
    assert flag.text.startswith("6000 mcg/day is outside every dose observed"), flag.text


def test_demo_risk_findings_read_in_words_not_rule_keys():
    from itbtwin.cli._demo import finding

    rules = ["label_risk_factor", "eri_soon", "fault_occlusion", "alarm_low_reservoir_now"]
    assert [finding(r) for r in rules] == [
        "boxed-warning risk factor",
        "ERI soon",
        "occlusion",
        "low-reservoir alarm now",
    ]
    assert finding("fault_battery_failure") == "battery failure"


def test_refill_schedule_table_reads_in_words_with_badges(cli, wide_console):
    result = cli("refill", "schedule", str(ROOT / "examples"), "--slip", "7 day")
    assert result.exit_code == 0, (result.output, result.exception)
    row = re.search(r"│ missed_refill\s*│([^\n]*)", result.stdout).group(1)
    assert "│ low reservoir │ WARN low reservoir" in row, row
    assert "low_reservoir" not in row and "[bold" not in row, row


def test_pk_response_table_gives_times_past_48_h_in_days(cli, wide_console):
    # the README's spatial example runs 3 days: its rows at 54-72 h read "2.3 days" to "3 days"
    result = cli(
        "pk", "--infusion", "100 mcg/day", "--days", "3", "--effect", "--baseline-mas", "3"
    )
    assert result.exit_code == 0, (result.output, result.exception)
    response = result.stdout.split("Response (effect site", 1)[1]
    times = [line.split("│")[1].strip() for line in response.splitlines() if "│" in line]
    assert times[:2] == ["0 h", "6 h"] and times[8:] == ["48 h", "2.3 days", "2.5 days",
                                                        "2.8 days", "3 days"]  # fmt: skip


def test_check_program_says_why_the_dry_run_shows_no_mas(cli, tmp_path):
    stable = (ROOT / "examples" / "stable_sci_three_refills.toml").read_text(encoding="utf-8")
    unassessed = tmp_path / "unassessed.toml"
    unassessed.write_text(re.sub(r"(?m)^baseline_\w+ = .*$", "", stable), encoding="utf-8")
    why = "MAS not predicted: the scenario gives no [patient] baseline_mas"
    shown = cli("check-program", str(unassessed), "--daily-dose", "275 mcg/day")
    assert shown.exit_code == 0, (shown.output, shown.exception)
    assert why in " ".join(shown.stdout.split())
    assessed = cli("check-program", str(ROOT / "examples" / "stable_sci_three_refills.toml"),
                   "--daily-dose", "275 mcg/day")  # fmt: skip
    assert "MAS not predicted" not in assessed.stdout


def test_forecast_gives_each_dose_once_at_the_pumps_hundredth(cli, tmp_path, wide_console):
    # the README's forecast printed one dose as 289.8 (table), 290 (reason) and 289.77 (range
    # flag); a step from 195 mcg/day is +30% = 253.5 mcg/day, which ".0f" showed as 254
    history = (ROOT / "examples" / "forecast" / "titration_history.toml").read_text("utf-8")
    shown = cli("forecast", str(ROOT / "examples" / "forecast" / "titration_history.toml"),
                "--target-mas", "1+", "--origin", "spinal")  # fmt: skip
    assert shown.exit_code == 0, (shown.output, shown.exception)
    assert re.search(r"│ dose to MAS 1\+ \(mcg/day\) │ 289\.77\s+│ 239-352", shown.stdout)
    assert "forecast at 289.77 mcg/day" in shown.stdout
    assert not re.search(r"\b(289\.8|290) mcg/day", shown.stdout)
    stepped = tmp_path / "from_195.toml"
    stepped.write_text(history.replace('"200 mcg/day"', '"195 mcg/day"'), encoding="utf-8")
    shown = cli("forecast", str(stepped), "--target-mas", "1+", "--origin", "spinal")
    assert "step to 253.5 mcg/day first" in shown.stdout, shown.stdout
    assert re.search(r"│ next step \(mcg/day\)\s+│ 253\.5 ", shown.stdout)


def test_check_program_of_the_same_dose_says_it_stays_not_a_zero_step(cli, tmp_path, wide_console):
    # the README's recorded-pump example, after the physician's change, proposes the dose in use
    stable = (ROOT / "examples" / "stable_sci_three_refills.toml").read_text(encoding="utf-8")
    at_400 = tmp_path / "at_400.toml"  # inside the 300-800 band: no range note
    at_400.write_text(stable.replace('"250 mcg/day"', '"400 mcg/day"'), encoding="utf-8")
    same = cli("check-program", str(at_400), "--daily-dose", "400 mcg/day")
    assert same.exit_code == 0, (same.output, same.exception)
    assert "[pass] the daily dose stays at 400 mcg/day and every other check passes" in same.stdout
    assert "+0.0%" not in same.stdout
    step = cli("check-program", str(at_400), "--daily-dose", "440 mcg/day")
    assert "400 → 440 mcg/day (+10.0%) is within the 10-30% per 24 h step" in step.stdout


def test_days_of_drug_of_a_pump_that_stops_first_read_after_end_of_service(cli, tmp_path):
    # the demo's ERI patient showed "-" under "days of drug left" where refill plan says why
    stable = (ROOT / "examples" / "stable_sci_three_refills.toml").read_text(encoding="utf-8")
    old = tmp_path / "old_pump.toml"  # end of service in 18 days, 40 days of drug in the pump
    old.write_text(stable.replace('age_at_start = "2 year"', 'age_at_start = "6.95 year"'), "utf-8")
    plan = cli("refill", "plan", str(old))
    assert re.search(r"│ Reservoir empty\s+│ after end of service", plan.stdout), plan.stdout
    risk = cli("risk", str(old))
    assert risk.exit_code == 0, (risk.output, risk.exception)
    assert re.search(r"│ old_pump\s+│ BLOCK\s+│ 3\s+│ after end of service\s+│", risk.stdout)
    assert json.loads(cli("risk", str(old), "--json").stdout)["patients"][0]["days_left"] is None


def test_trial_table_counts_patients_as_its_title_does(cli, wide_console):
    trial = ROOT / "examples" / "trials" / "dose_by_origin_spinal.toml"
    shown = cli("trial", "run", str(trial), "--patients", "1500")
    assert shown.exit_code == 0, (shown.output, shown.exception)
    assert ": 1,500 patients, seed" in shown.stdout
    assert re.search(r"│ Patients counted\s+│ 1,500\s+│", shown.stdout), shown.stdout
