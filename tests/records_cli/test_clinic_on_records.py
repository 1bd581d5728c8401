"""`risk`, `refill plan` and `check-program` on the records (issue 12 points 2 and 4).

NGP001 (P001, implanted Mon 2 Nov 2026 10:00 GMT) holds 20 mL of 500 mcg/mL at 250 mcg/day,
that is 0.5 mL/day by the pump's own arithmetic:
- at Fri 20 Nov 09:00 (18 days less 1 h after the fill) it holds 20 − 0.5 × 17.9583 = 11.0208 mL;
- its 2 mL low-reservoir alarm sounds after (20 − 2) / 0.5 = 36 days, Tue 8 Dec 10:00, and it is
  empty after 20 / 0.5 = 40 days, Sat 12 Dec 10:00: from 20 Nov 09:00 that is 22 days and 1 h,
  22.0417 days of drug left;
- at Thu 10 Dec 09:00 it holds 20 − 0.5 × 37.9583 = 1.0208 mL, 1.0208 / 0.55 = 1.856 days
  (44.5 h) at 275 mcg/day (0.55 mL/day);
- at Wed 30 Dec 09:00 it has been empty for 17 days 23 h, shown as 18 days.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itbtwin.errors import RecordError, RegimenError

AS_OF = '--as-of "2026-11-20 09:00"'
STABLE = Path(__file__).parents[2] / "examples" / "stable_sci_three_refills.toml"


def test_issue_12_risk_without_an_argument_ranks_every_implanted_pump(two_pumps):
    out = two_pumps.data(f"risk {AS_OF}")
    days = {p["name"]: p["days_left"] for p in out["patients"]}
    assert days["P001"] == pytest.approx(22 + 1 / 24, abs=1e-3)
    assert days["P002"] == pytest.approx(90 + 1 / 24, abs=1e-3)  # 20 / 0.2 = 100 days from 10 Nov
    reasons = {p["name"]: {r["rule"] for r in p["reasons"]} for p in out["patients"]}
    assert "label_risk_factor" in reasons["P001"]  # T4 injury, recorded
    assert "label_risk_factor" in reasons["P002"]  # communication difficulty, recorded


def test_risk_of_one_patient_is_that_patients_row_of_the_whole_clinic(two_pumps):
    every = {p["name"]: p for p in two_pumps.data(f"risk {AS_OF}")["patients"]}
    assert two_pumps.data(f"risk P002 {AS_OF}")["patients"] == [every["P002"]]
    assert two_pumps.data(f"risk NGP002 {AS_OF}")["patients"] == [every["P002"]]


def test_risk_on_the_records_agrees_with_the_schedule(two_pumps):
    risks = two_pumps.data(f"risk {AS_OF}")["patients"]
    assert risks == two_pumps.data(f"schedule {AS_OF}")["risks"]


def test_recorded_risk_factors_cannot_be_overridden_by_options(clinic):
    result = clinic.invoke(f"risk P001 {AS_OF} --prior-withdrawal")
    assert isinstance(result.exception, RegimenError)


def test_issue_12_refill_plan_of_a_serial_gives_the_pumps_dates_and_window(clinic):
    out = clinic.data(f"refill plan NGP001 {AS_OF}")
    assert out["serial"] == "NGP001" and out["name"] == "P001"
    assert out["dates"]["low_reservoir_at"].startswith("2026-12-08T10:00")
    assert out["dates"]["empty_at"].startswith("2026-12-12T10:00")
    assert out["window"]["earliest"] == "2026-11-25" and out["window"]["latest"] == "2026-12-01"
    by_patient = clinic.data(f"refill plan P001 {AS_OF}")
    assert by_patient == out


def test_refill_plan_on_the_records_takes_the_file_forms_options(clinic):
    out = clinic.data(
        f'refill plan NGP001 {AS_OF} --margin "3 day" --open mon,tue,wed,thu '
        "--holiday 2026-12-03 --travel 2026-11-30:2026-12-02"
    )
    # 8 Dec − 3 days = Sat 5 Dec; Sat 5 and Fri 4 closed, Thu 3 a holiday, Wed 2 to Mon 30 away,
    # Sun 29 to Fri 27 closed: Thu 26 Nov is the last open day.
    assert out["window"]["latest"] == "2026-11-26"


def test_an_unknown_pump_or_patient_is_one_error_and_a_missing_file_another(clinic):
    unknown = clinic.invoke(f"refill plan NGP999 {AS_OF}")
    assert isinstance(unknown.exception, RecordError)
    assert "neither a scenario file nor a pump serial" in str(unknown.exception)
    missing = clinic.invoke("refill plan examples/nope.toml")
    assert isinstance(missing.exception, RegimenError)


def test_issue_12_check_program_on_a_serial_starts_from_the_recorded_reservoir(clinic):
    out = clinic.data('check-program NGP001 --daily-dose "275 mcg/day" --at "2026-11-20 09:00"')
    assert out["verdict"] == "pass" and out["serial"] == "NGP001"
    assert out["reservoir_ml"] == pytest.approx(20 - 0.5 * (18 - 1 / 24), abs=1e-9)
    assert out["empty_since"] is None
    dates = out["dry_run"]["current_dates"]
    low_h = (out["reservoir_ml"] - 2) / 0.5 * 24  # hours from the change to the 2 mL alarm
    assert dates["low_reservoir_h"] - dates.get("now_h", 0.0) == pytest.approx(low_h, abs=1e-6)


def test_check_program_counts_the_24_h_spacing_from_the_recorded_change(clinic):
    clinic.run(
        'program set NGP001 --daily-dose "275 mcg/day" --at "2026-11-13 10:00" --reason spasms'
    )
    soon = clinic.invoke(
        'check-program NGP001 --daily-dose "300 mcg/day" --at "2026-11-13 20:00" --json'
    )
    assert soon.exit_code == 1
    assert "step_too_soon" in {r["rule"] for r in json.loads(soon.stdout)["reasons"]}


def test_issue_12_check_program_below_the_low_reservoir_alarm_warns_with_days_left(clinic):
    out = clinic.data('check-program NGP001 --daily-dose "275 mcg/day" --at "2026-12-10 09:00"')
    low = {r["rule"]: r for r in out["reasons"]}["reservoir_low"]
    assert out["verdict"] == "warn" and low["verdict"] == "warn"
    assert "holds 1.02 mL" in low["text"] and "empty in 44.5 h" in low["text"]


def test_issue_12_check_program_on_an_empty_pump_blocks_and_says_since_when(clinic):
    result = clinic.invoke(
        'check-program P001 --daily-dose "275 mcg/day" --at "2026-12-30 09:00" --json'
    )
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    empty = {r["rule"]: r for r in out["reasons"]}["reservoir_empty"]
    assert empty["verdict"] == "block" and empty["source"] == "synchromed2:S23"
    assert "empty for 18 days" in empty["text"]
    assert out["empty_since"] == "2026-12-12T10:00:00" and out["reservoir_ml"] == 0.0
    # the dry run starts from the fill: no drug under either program (issue 12)
    assert out["dry_run"]["current_signals"]["withdrawal_h"] == pytest.approx(73.0)


def test_at_is_refused_for_a_scenario_file(clinic):
    result = clinic.invoke(
        f'check-program {STABLE} --daily-dose "275 mcg/day" --at "2026-11-20 09:00"'
    )
    assert isinstance(result.exception, RegimenError)


def test_refill_schedule_takes_serials_and_patients_most_urgent_first(two_pumps):
    out = two_pumps.data(f"refill schedule NGP002 P001 {AS_OF}")
    assert [p["name"] for p in out["pumps"]] == ["P001", "P002"]


def test_the_dry_run_table_dates_stability_from_the_recorded_fill(clinic):
    """Filled Mon 2 Nov 2026 10:00 GMT + 180 days = Sat 1 May 2027 11:00 BST, not 180 days
    from the change."""
    text = clinic.run(
        'check-program NGP001 --daily-dose "275 mcg/day" --at "2026-11-20 09:00"'
    ).stdout
    assert "Sat 01 May 2027 11:00 BST" in text and "19 May 2027" not in text
    assert "pump NGP001 of P001 at Fri 20 Nov 2026 09:00: 11 mL left" in text


def test_a_discharged_patient_leaves_risk_and_is_refused_by_name(two_pumps):
    two_pumps.run('patient discharge P001 --at "2026-11-15 09:00" --reason "moved away"')
    assert [p["name"] for p in two_pumps.data(f"risk {AS_OF}")["patients"]] == ["P002"]
    for key in ("P001", "NGP001"):
        refused = two_pumps.invoke(f"refill plan {key} {AS_OF}")
        assert isinstance(refused.exception, RecordError)
        assert "discharged on Sun 15 Nov 2026" in str(refused.exception)


def test_the_time_of_a_recorded_pump_is_given_by_as_of_or_at_alike(clinic):
    assert clinic.data(f"refill plan NGP001 {AS_OF}") == clinic.data(
        'refill plan NGP001 --at "2026-11-20 09:00"'
    )


@pytest.mark.parametrize("as_of", ["2026-11-20 09:00", "2026-12-30 09:00"])
def test_refill_plan_of_a_recorded_pump_is_its_row_of_the_schedule(clinic, as_of):
    plan = clinic.data(f'refill plan NGP001 --as-of "{as_of}"')
    [row] = clinic.data(f'schedule --as-of "{as_of}"')["pumps"]
    for key in ("dates", "window", "slip", "now"):
        assert plan[key] == row[key], key


def test_as_of_is_refused_for_scenario_files_alone(clinic):
    result = clinic.invoke(f"refill plan {STABLE} {AS_OF}")
    assert isinstance(result.exception, RegimenError)
