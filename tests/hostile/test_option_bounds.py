"""Issue 17, what session 5 left unbounded: a screening effect of 1e300 h (read as "more than
8 h"), a time since the last change or without drug of 1e300 h, a dry run of 1e300 h (a
traceback), a daily dose of 1e300 mcg to check a step against, oral doses of 1e300 mg (run, and
in a trial filling every quantile with the top bin), a fault's delay of 1e300 h (a pump that
silently never restarts), a holiday in 1800, a trip to the year 9999 and an opening day lost
between commas. Each is refused with one line naming the option and what is expected."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from itbtwin.errors import ItbError, RegimenError, ScenarioError, TrialError
from itbtwin.scale._spec import Dose
from itbtwin.sim import load_scenario

EXAMPLES = Path(__file__).parents[2] / "examples"
PUMP = str(EXAMPLES / "stable_sci_three_refills.toml")
STEP = ["titrate", "--origin", "spinal", "--current", "100 mcg/day", "--proposed", "110 mcg/day"]


def _refused(result, message: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(result.exception, ItbError), result.output
    assert message in str(result.exception)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--effect-duration", "1e300 h"], "a screening effect of 1e+300 h is impossible"),
        (["--effect-duration", "30 day"], "expected more than 0 and at most 72 h"),
        (["--effect-duration", "0 h"], "a screening effect of 0 h is impossible"),
    ],
)
def test_issue_17_a_screening_effect_longer_than_any_bolus_acts_is_refused(cli, args, message):
    _refused(cli("titrate", "--origin", "spinal", "--bolus", "50 mcg", *args), message)


def test_issue_17_a_screening_effect_of_up_to_72_hours_still_starts_at_the_bolus(cli):
    """The label's rule (more than 8 h: start at the bolus) holds to the bound itself."""
    result = cli(
        "titrate", "--origin", "spinal", "--bolus", "50 mcg", "--effect-duration", "72 h", "--json"
    )
    assert result.exit_code == 0, result.output
    assert '"start_mcg_per_day": 50' in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [*STEP, "--since", "1e300 h"],
            "--since '1e300 h' is longer than ITB pumps have existed: expected at most",
        ),
        (
            [*STEP[:3], "--current", "100 mcg/day", "--restart-after", "1e300 h"],
            "--restart-after '1e300 h' is longer than ITB pumps have existed",
        ),
        (
            ["check-program", PUMP, "--daily-dose", "300 mcg/day", "--since", "1e300 h"],
            "--since '1e300 h' is longer than ITB pumps have existed",
        ),
        (
            ["check-program", PUMP, "--daily-dose", "300 mcg/day", "--hours", "1e300"],
            "the dry run (--hours) is over a billion days; at most 3,652 days",
        ),
        (
            [*STEP[:3], "--current", "1e300 mcg/day", "--proposed", "110 mcg/day"],
            "a current dose of over 1,000,000,000 mcg/day is more than any pump",
        ),
        ([*STEP[:-1], "1e300 mcg/day"], "a proposed dose of over 1,000,000,000 mcg/day"),
    ],
)
def test_issue_17_a_time_back_or_a_dose_beyond_any_therapy_is_refused(cli, args, message):
    _refused(cli(*args), message)


def test_issue_17_a_long_time_since_the_last_change_is_still_read(cli):
    """Twenty years is long, but ITB pumps have been programmed for longer: the step passes."""
    result = cli(*STEP, "--since", "20 year")
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--oral", "1e300 mg"], "--oral '1e300 mg', a dose of over a billion mg is impossible"),
        (["--oral", "900 mg", "--every", "8 h"], "expected at most 800 mg, ten times the label's"),
    ],
)
def test_issue_17_an_oral_dose_beyond_ten_times_the_label_maximum_is_refused(cli, args, message):
    _refused(cli("pk", *args), message)


def test_issue_17_an_oral_dose_at_the_bound_is_simulated(cli):
    assert cli("pk", "--oral", "800 mg", "--json").exit_code == 0


@pytest.mark.parametrize(
    ("dose", "message"),
    [
        (
            Dose(route="oral", bolus="1e300 mg"),
            "the oral bolus of over a billion mg is impossible: expected at most 800 mg",
        ),
        (
            Dose(route="subcutaneous", infusion="1e300 mg/day"),
            "the subcutaneous infusion of over a billion mg/day is impossible",
        ),
        (Dose(route="oral", bolus="801 mg"), "the oral bolus of 801 mg is impossible"),
    ],
)
def test_issue_17_a_trials_oral_or_subcutaneous_dose_of_1e300_is_refused(dose, message):
    with pytest.raises(TrialError, match=message):
        dose.event(24.0)


def test_issue_17_a_trials_oral_dose_within_the_bound_is_an_event():
    event = Dose(route="oral", bolus="800 mg").event(24.0)
    assert event.route == "oral" and event.amount_mcg == 800_000


def _mri(tmp_path: Path, **fault: str) -> Path:
    document = tomllib.loads((EXAMPLES / "mri_delayed_restart.toml").read_text())
    document["fault"][0].update(fault)
    path = tmp_path / "scenario.toml"
    path.write_text(tomli_w.dumps(document))
    return path


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"delay": "1e300 h"}, r"fault\[0\]\.delay.*a delay of 1e\+300 h is longer than the"),
        ({"duration": "1e300 h"}, r"fault\[0\]\.duration.*a duration of 1e\+300 h is longer"),
        ({"delay": "11 day"}, r"a delay of 264 h is longer than the scenario \(240 h\)"),
    ],
)
def test_issue_17_a_fault_delay_longer_than_the_scenario_is_refused(tmp_path, fault, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(_mri(tmp_path, **fault))


def test_issue_17_a_fault_delay_within_the_scenario_is_replayed(tmp_path):
    scenario = load_scenario(_mri(tmp_path, delay="24 h"))
    assert scenario.therapy.faults[0].delay_h == 24.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--holiday", "1800-01-01"], "holiday 1800-01-01 is outside 1988-01-01 to"),
        (["--travel", "2026-01-01:9999-12-31"], "travel end 9999-12-31 is outside 1988-01-01"),
        (["--travel", "1900-01-01:2026-01-01"], "travel start 1900-01-01 is outside"),
        (["--open", "mon,"], "--open 'mon,' has an empty day between commas"),
        (["--open", "mon,,tue"], "--open 'mon,,tue' has an empty day between commas"),
        (["--open", ",mon"], "has an empty day between commas"),
    ],
)
def test_issue_17_a_refill_plan_refuses_days_no_plan_reads(cli, args, message):
    _refused(cli("refill", "plan", PUMP, *args), message)


def test_issue_17_a_holiday_and_a_trip_within_the_bounds_are_planned_around(cli):
    result = cli(
        "refill", "plan", PUMP, "--holiday", "2024-02-12", "--travel", "2024-01-20:2024-01-25"
    )
    assert result.exit_code == 0, result.output


def test_issue_17_the_bounds_hold_before_anything_is_planned():
    """The date parser refuses with the project's error, not a ValueError."""
    from itbtwin.cli._refill import planning_date, weekdays

    with pytest.raises(RegimenError, match="a refill plan reads days from the first"):
        planning_date("1987-12-31", "holiday")
    assert weekdays("mon, tue") == (0, 1)


def test_issue_17_docs_limits_states_these_bounds_with_the_codes_values():
    from itbtwin.clinic._titration import LONGEST_BOLUS_EFFECT_H
    from itbtwin.patient._oral_equivalent import ORAL_MAX_MG_PER_DAY
    from itbtwin.sim._limits import SYSTEMIC_DOSE_TIMES_LABEL_MAX

    text = (Path(__file__).parents[2] / "docs" / "limits.md").read_text()
    stated = [
        f"more than 0 and at most {LONGEST_BOLUS_EFFECT_H:g} h",
        f"at most {SYSTEMIC_DOSE_TIMES_LABEL_MAX * ORAL_MAX_MG_PER_DAY:g} mg",
        "at most the time since 1 January 1988",
        "from 1988-01-01 to 10 years after today",
        "`YYYY-MM-DD` only",
    ]
    assert [s for s in stated if s not in text] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "patient", "P1", "--as-of", "9999-12-31 00:00"],
            "--as-of 9999-12-31 00:00 is in the future beyond",
        ),
        (["schedule", "--as-of", "9999-12-31 00:00"], "a clinic time is from 1900 to 10 years"),
        (
            ["assess", "P1", "--mas", "hip adductors L=2", "--at", "1800-01-01 10:00"],
            "--at 1800-01-01 10:00 is before 1900",
        ),
    ],
)
def test_issue_17_a_clinic_time_beyond_the_calendar_of_care_is_refused(
    cli, tmp_path, args, message
):
    """--as-of 9999-12-31 overflowed the calendar in a patient report (a traceback)."""
    assert cli("db", "upgrade").exit_code == 0
    patient = ["P1", "--birth-date", "1980-01-01", "--weight", "70 kg", "--origin", "spinal"]
    assert cli("patient", "add", *patient).exit_code == 0
    _refused(cli(*args), message)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["risk", PUMP, "--missed-visits", "1000000000"], "--missed-visits 1000000000 visits is"),
        (["pk", "--bolus", "50 mcg", "--age", "10 year", "--weight", "1e-300 kg"], "1-400 kg"),
        (["demo", "--seed", str(10**30), "--size", "8"], "at most 2^63 - 1"),
    ],
)
def test_issue_17_a_count_a_weight_or_a_seed_beyond_its_bound_is_refused(
    cli, tmp_path, args, message
):
    """A billion missed visits were ranked, a child of 1e-300 kg simulated, and a seed of 10^30
    ended in NumPy's traceback."""
    _refused(cli(*args, *(["--out", str(tmp_path / "demo")] if args[0] == "demo" else [])), message)
    assert not (tmp_path / "demo").exists()


def test_issue_17_a_screening_files_effect_longer_than_one_bolus_acts_is_refused(cli, tmp_path):
    """`screen` reads the same effect as `titrate --effect-duration`: 30 days was a response."""
    text = (EXAMPLES / "screening" / "responder_at_75.toml").read_text()
    path = tmp_path / "screening.toml"
    path.write_text(text.replace('effect_duration = "6 h"', 'effect_duration = "30 day"'))
    _refused(cli("screen", str(path)), "effect_duration 720 h is impossible: at most 72 h")
    assert cli("screen", str(EXAMPLES / "screening" / "responder_at_75.toml")).exit_code == 0


def test_issue_17_an_empty_since_is_refused_naming_the_option(cli):
    _refused(cli(*STEP, "--since", ""), "--since: '' does not start with a number")


def test_issue_17_a_restart_after_no_time_without_drug_is_refused(cli):
    restart = ["titrate", "--origin", "spinal", "--current", "200 mcg/day"]
    _refused(
        cli(*restart, "--restart-after", "0 day"), "--restart-after '0 day' is no interruption"
    )
