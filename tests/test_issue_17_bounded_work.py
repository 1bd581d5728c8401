"""Issue 17 point 4: no input makes a command hang or exhaust memory; sizes and spans are checked
before work starts, and the refusal says the limit and why (docs/limits.md).

Also points 3 and 4 of the lead's list: `--open monkey` is not Monday, a risk register name that
matches no scenario is an error.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w

import itbtwin.cli
from itbtwin.cli._refill import weekdays, whole_days
from itbtwin.errors import ItbError, RegimenError, TrialError
from itbtwin.report._calendar import MAX_CALENDAR_DAYS
from itbtwin.report._clinic_report import clinic_report
from itbtwin.scale._limits import MAX_PATIENT_HOURS
from itbtwin.scale._spec import load_trial
from itbtwin.scale._stream import plan_chunks
from itbtwin.sim import (
    MAX_DOSES,
    MAX_OUTPUT_POINTS,
    MAX_SPAN_H,
    Regimen,
    check_output,
    load_scenario,
    repeated,
)

EXAMPLES = Path(__file__).parents[1] / "examples"
SCENARIO = EXAMPLES / "catheter_fracture.toml"
TRIAL = EXAMPLES / "trials" / "alarm_2ml.toml"


def _refused(cli, *args: str) -> str:
    result = cli(*args)
    assert isinstance(result.exception, ItbError), result.output
    message = str(result.exception)
    assert "\n" not in message
    return message


def _scenario(tmp_path: Path, **scenario: str) -> Path:
    document = tomllib.loads(SCENARIO.read_text())
    document["scenario"].update(scenario)
    path = tmp_path / "scenario.toml"
    path.write_text(tomli_w.dumps(document))
    return path


def test_issue_17_a_scenario_of_100_years_is_refused_at_its_duration(tmp_path):
    with pytest.raises(ItbError, match=r"scenario.duration.*36,525 days; at most 3,652 days"):
        load_scenario(_scenario(tmp_path, duration="100 year"))


def test_issue_17_a_scenario_output_step_of_a_microsecond_is_refused_with_the_point_count(
    tmp_path,
):
    path = _scenario(tmp_path, output_step="0.000001 h")
    with pytest.raises(ItbError, match=r"output_step.*480,000,000 output times; at most 1,000,000"):
        load_scenario(path)


def test_issue_17_the_limits_themselves_are_allowed():
    check_output(MAX_SPAN_H, MAX_SPAN_H / MAX_OUTPUT_POINTS, "ten years")
    assert len(Regimen([repeated(1.0, every_h=1.0, times=MAX_DOSES)]).events) == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--days", "1000000"), "1,000,000 days; at most 3,652 days"),
        (("--hours", "1e308"), "over a billion days"),
        (("--hours", "24", "--step", "0.000001"), "24,000,000 output times"),
    ],
)
def test_issue_17_pk_refuses_spans_and_steps_beyond_the_limits(cli, args, says):
    assert says in _refused(cli, "pk", "--bolus", "50 mcg", *args)


def test_issue_17_pk_refuses_a_dose_every_third_of_a_second_for_a_month(cli):
    message = _refused(cli, "pk", "--oral", "20 mg", "--every", "0.0001 h", "--days", "30")
    assert "7,200,000 doses; at most 100,000" in message


def test_issue_17_a_regimen_of_more_than_the_dose_limit_is_refused():
    with pytest.raises(RegimenError, match="100,001 doses"):
        Regimen([repeated(1.0, every_h=1.0, times=MAX_DOSES + 1)])


@pytest.mark.parametrize("days", ["100000", "10000000000000000000000"])
def test_issue_17_a_titration_of_100000_days_a_step_is_refused_at_once(cli, days):
    message = _refused(
        cli, "titrate", "--origin", "spinal", "--bolus", "75 mcg", "--effect-duration", "6 h",
        "--target", "600 mcg/day", "--days-per-step", days,
    )  # fmt: skip
    assert "--days-per-step" in message and "at most 3,652 days" in message


def test_issue_17_a_titration_plan_longer_than_ten_years_is_refused(cli):
    message = _refused(
        cli, "titrate", "--origin", "spinal", "--bolus", "75 mcg", "--effect-duration", "6 h",
        "--target", "600 mcg/day", "--days-per-step", "1000",
    )  # fmt: skip
    assert "the titration plan (steps × --days-per-step) is 4,000 days" in message


@pytest.mark.parametrize("days", [0, -3, MAX_CALENDAR_DAYS + 1, 100_000])
def test_issue_17_a_clinic_report_over_100000_days_is_refused(days):
    with pytest.raises(RegimenError, match=f"1 to {MAX_CALENDAR_DAYS} days"):
        clinic_report("clinic", [], [], days=days)


def test_issue_17_a_history_span_of_100000_days_is_refused():
    with pytest.raises(RegimenError, match="--since is 100,000 days"):
        whole_days("100000 day", "--since")


@pytest.mark.parametrize(
    ("patients", "needs"), [(10**9, "about 7 days"), (10**12, "about 6,759 days")]
)
def test_issue_17_a_trial_of_a_billion_patients_is_refused_with_the_time_it_needs(
    cli, patients, needs
):
    message = _refused(cli, "trial", "run", str(TRIAL), "--patients", str(patients))
    assert f"at most {MAX_PATIENT_HOURS:,.0f}" in message and needs in message


def test_issue_17_a_trial_file_of_10_12_patients_is_refused_before_chunks_are_planned(tmp_path):
    document = tomllib.loads(TRIAL.read_text())
    document["population"]["size"] = 10**12
    path = tmp_path / "trial.toml"
    path.write_text(tomli_w.dumps(document))
    with pytest.raises(TrialError, match="patient-hours"):
        plan_chunks(load_trial(path))


@pytest.mark.parametrize("chunk", ["0", "-5"])
def test_issue_17_a_chunk_size_below_one_patient_is_refused(cli, chunk):
    message = _refused(cli, "trial", "run", str(TRIAL), "--patients", "64", "--chunk-size", chunk)
    assert f"at least 1 patient, got {chunk}" in message


def test_issue_17_a_chunk_too_large_for_memory_is_refused_with_the_gigabytes(tmp_path):
    document = tomllib.loads(TRIAL.read_text())
    document["population"]["size"] = 10**7
    path = tmp_path / "trial.toml"
    path.write_text(tomli_w.dumps(document))
    with pytest.raises(TrialError, match=r"GB of output at once; at most 4 GB"):
        plan_chunks(load_trial(path), 10**7)


def test_issue_17_open_monkey_is_not_monday():
    with pytest.raises(RegimenError, match="unknown weekday 'monkey'"):
        weekdays("monkey")
    assert weekdays("monday, TUE,sunday") == (0, 1, 6)


def test_issue_17_the_cli_says_a_refusal_in_one_line_with_status_2(monkeypatch, capsys):
    argv = ["itbtwin", "refill", "plan", str(SCENARIO), "--open", "mon,monkey"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exited:
        itbtwin.cli.main()
    lines = capsys.readouterr().err.strip().splitlines()
    assert exited.value.code == 2 and len(lines) == 1 and "'monkey'" in lines[0]


def test_issue_17_a_register_name_matching_no_scenario_is_an_error(cli, tmp_path):
    register = tmp_path / "register.toml"
    register.write_text('[stable_sci_three_refill]\ninjury_level = "C4"\n')  # one letter short
    message = _refused(
        cli, "risk", str(EXAMPLES / "stable_sci_three_refills.toml"), "--register", str(register)
    )
    assert "[stable_sci_three_refill] matches no scenario" in message


def test_issue_17_docs_limits_states_the_limits_the_code_applies():
    from itbtwin.scale._limits import MAX_CHUNK_BYTES
    from itbtwin.user_files import JSON_LIMIT_BYTES, MAX_DEPTH, TOML_LIMIT_BYTES

    text = (Path(__file__).parents[1] / "docs" / "limits.md").read_text()
    stated = [
        f"at most {TOML_LIMIT_BYTES / 1e6:g} MB",
        f"at most {JSON_LIMIT_BYTES / 1e6:g} MB",
        f"at most {MAX_DEPTH} levels",
        f"at most 10 years ({MAX_SPAN_H / 24:,.0f} days)",
        f"at most {MAX_OUTPUT_POINTS:,}",
        f"at most {MAX_DOSES:,}",
        f"1 to {MAX_CALENDAR_DAYS} days",
        f"at most 10^{len(str(int(MAX_PATIENT_HOURS))) - 1} patient-hours",
        f"at most {MAX_CHUNK_BYTES / 1e9:g} GB",
    ]
    assert [s for s in stated if s not in text] == []
    assert "](docs/limits.md)" in (Path(__file__).parents[1] / "README.md").read_text()


def test_issue_17_a_population_of_10_12_patients_is_refused_with_the_memory_it_needs(cli):
    message = _refused(cli, "population", "--n", str(10**12))
    assert "about 320,000 GB of memory" in message and "at most 10,000,000" in message


def test_issue_17_a_demo_clinic_of_a_billion_patients_is_refused(cli, tmp_path):
    message = _refused(cli, "demo", "--size", str(10**9), "--out", str(tmp_path / "demo"))
    assert "at most 10,000 patients, not 1,000,000,000" in message


def test_issue_17_a_million_local_workers_are_refused_before_any_start(cli):
    message = _refused(cli, "trial", "run", str(TRIAL), "--patients", "64", "--workers", "1000000")
    assert "--workers must be 1 to" in message


def test_issue_17_a_connect_timeout_of_1e308_hours_is_refused(cli):
    message = _refused(
        cli, "trial", "run", str(TRIAL), "--connect-timeout", "1e308 h",
        "--scheduler", "tcp://127.0.0.1:1",
    )  # fmt: skip
    assert "at most 10 min" in message


@pytest.mark.parametrize("option", ["--start", "--target"])
def test_issue_17_a_dose_no_pump_can_deliver_is_refused_not_simulated(cli, option):
    dose = "1e308 mcg/day" if option == "--start" else "1e10 mcg/day"
    args = ["--start", "100 mcg/day"] if option == "--target" else []
    message = _refused(cli, "titrate", "--origin", "spinal", *args, option, dose)
    assert "more than any pump in the catalogue can deliver (57,600 mcg/day" in message
