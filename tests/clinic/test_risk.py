"""`itbtwin risk`: boxed-warning factors plus the operational picture, ranked; education sheet."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itbtwin.cli import app
from itbtwin.clinic import RiskRecord, assess_risk, education_sheet, rank_risks
from itbtwin.errors import ParameterError, RegimenError
from itbtwin.pump import Fill
from itbtwin.sim import load_scenario

runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples"
STABLE = load_scenario(EXAMPLES / "stable_sci_three_refills.toml")  # empty at day 40


def with_fill(volume_ml: float, pump_age_years: float = 2.0):
    therapy = dataclasses.replace(
        STABLE.therapy, fill=Fill(volume_ml, 500.0), pump_age_h=pump_age_years * 8766
    )
    return dataclasses.replace(STABLE, therapy=therapy)


def rules(risk) -> dict[str, str]:
    return {r.rule: r.verdict.value for r in risk.reasons}


def test_injury_at_t6_or_above_is_a_label_risk_factor_and_below_is_not():
    high = assess_risk("a", STABLE, RiskRecord(injury_level="T6"))
    low = assess_risk("b", STABLE, RiskRecord(injury_level="T7"))
    assert rules(high) == {"label_risk_factor": "warn"}
    assert high.reasons[0].source == "label:boxed-warning"
    assert rules(low) == {"no_risk_found": "pass"}


def test_communication_difficulty_and_prior_withdrawal_each_count():
    risk = assess_risk(
        "a", STABLE, RiskRecord(communication_difficulty=True, prior_withdrawal=True)
    )
    assert [r.rule for r in risk.reasons] == ["label_risk_factor"] * 2 and risk.score == 2


def test_seven_days_of_drug_left_blocks_and_fourteen_warns():
    # 0.5 mL/day: (volume) / 0.5 days left
    assert rules(assess_risk("a", with_fill(3.5)))["days_of_drug_left"] == "block"  # 7 d
    assert rules(assess_risk("a", with_fill(7.0)))["days_of_drug_left"] == "warn"  # 14 d
    assert "days_of_drug_left" not in rules(assess_risk("a", with_fill(7.5)))  # 15 d


def test_low_reservoir_alarm_sounding_now_is_flagged():
    assert rules(assess_risk("a", with_fill(1.5)))["alarm_low_reservoir_now"] == "warn"


def test_eri_within_90_days_warns_and_reached_blocks():
    eos = STABLE.therapy.device.eos_h / 8766
    assert rules(assess_risk("a", with_fill(20, eos - 0.3)))["eri_soon"] == "warn"
    assert rules(assess_risk("a", with_fill(20, eos - 0.01)))["eri_reached"] == "block"


def test_recorded_catheter_fault_blocks_and_missed_refill_counts_as_a_missed_visit():
    fracture = assess_risk("a", load_scenario(EXAMPLES / "catheter_fracture.toml"))
    assert rules(fracture)["fault_fracture"] == "block"
    missed = load_scenario(EXAMPLES / "missed_refill.toml")
    assert rules(assess_risk("a", missed))["missed_visits"] == "warn"
    assert rules(assess_risk("a", missed, RiskRecord(missed_visits=1)))["missed_visits"] == "block"


def test_ranking_puts_block_first_then_score_then_fewest_days_left():
    risks = [
        assess_risk("calm", STABLE),
        assess_risk("factors", STABLE, RiskRecord(injury_level="C5", prior_withdrawal=True)),
        assess_risk("low", with_fill(3.0)),
        assess_risk("one_factor", with_fill(18.0), RiskRecord(injury_level="C5")),
    ]
    assert [r.name for r in rank_risks(risks)] == ["low", "factors", "one_factor", "calm"]


def test_record_refuses_impossible_values():
    with pytest.raises(ParameterError):
        RiskRecord(missed_visits=-1)
    with pytest.raises(ParameterError):
        RiskRecord(communication_difficulty="yes")  # type: ignore[arg-type]


def test_sheet_names_the_signs_what_to_do_oral_baclofen_and_the_refill_date():
    html = education_sheet(assess_risk("a", STABLE, RiskRecord(injury_level="C5")), STABLE.therapy)
    for text in ("Itching", "Stiffness or spasms", "low blood pressure", "Pins and needles"):
        assert text in html
    assert "Very sleepy" in html and "Slow or shallow breathing" in html
    assert "baclofen tablets at home" in html
    assert "Next refill: by Tue 06 Feb 2024" in html
    assert "spinal cord injury at or above T6" in html
    assert "<script" not in html and "http" not in html.split("<body>")[1]


def test_risk_command_ranks_a_folder_and_writes_the_sheet_for_one(tmp_path):
    result = runner.invoke(app, ["risk", str(EXAMPLES), "--json"])
    assert result.exit_code == 0, result.output
    patients = json.loads(result.output)["patients"]
    assert patients[0]["name"] == "catheter_fracture" and patients[0]["verdict"] == "block"
    sheet = tmp_path / "sheet.html"
    one = EXAMPLES / "missed_refill.toml"
    args = ["risk", str(one), "--injury-level", "T4", "--sheet", str(sheet), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "Next refill" in sheet.read_text()


def test_register_gives_each_patient_their_record(tmp_path):
    register = tmp_path / "register.toml"
    register.write_text('[stable_sci_three_refills]\ninjury_level = "C4"\nmissed_visits = 2\n')
    args = ["risk", str(EXAMPLES), "--register", str(register), "--json"]
    patients = json.loads(runner.invoke(app, args).output)["patients"]
    stable = next(p for p in patients if p["name"] == "stable_sci_three_refills")
    assert stable["verdict"] == "block" and stable["score"] == 4
    register.write_text("[stable_sci_three_refills]\nmood = 1\n")
    assert isinstance(runner.invoke(app, args).exception, ParameterError)


def test_patient_options_with_several_scenarios_are_refused():
    result = runner.invoke(app, ["risk", str(EXAMPLES), "--prior-withdrawal"])
    assert isinstance(result.exception, RegimenError)
