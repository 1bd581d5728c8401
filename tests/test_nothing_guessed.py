"""Issue 12, point 9: nothing silently guessed. A child's PK needs their weight (no 70 kg is
assumed), and every parameter cites its own source: a child's plasma PK is He 2014's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itbtwin.errors import ParameterError
from itbtwin.patient import BaclofenPk
from itbtwin.patient._parameters import PAEDIATRIC_SOURCES
from itbtwin.sources import check

PLASMA = ("v_central_ml", "v_peripheral_ml", "q_plasma_ml_h", "cl_plasma_ml_h", "cl_renal_ml_h")


def test_issue_12_a_child_without_a_weight_is_refused_not_given_70_kg():
    with pytest.raises(ParameterError, match="needs a body weight"):
        BaclofenPk.for_patient(age_years=9.0)


def test_an_adult_needs_no_weight_because_adult_pk_does_not_use_it():
    assert BaclofenPk.for_patient(age_years=40.0) == BaclofenPk.for_patient(55.0, 40.0)


@pytest.mark.parametrize("command", ["pk", "screen", "forecast"])
def test_issue_12_child_commands_without_weight_are_refused_with_one_line(cli, command, tmp_path):
    args = {
        "pk": ["pk", "--bolus", "50 mcg"],
        "screen": ["screen"],
        "forecast": ["forecast", "examples/forecast/titration_history.toml", "--target-mas",
                     "1+", "--origin", "spinal"],
    }[command]  # fmt: skip
    result = cli(*args, "--age", "9 year")
    assert isinstance(result.exception, ParameterError), result.output
    assert "needs a body weight" in str(result.exception)
    assert "\n" not in str(result.exception)


def test_issue_12_pk_json_cites_he2014_for_a_childs_plasma_parameters(cli):
    result = cli("pk", "--bolus", "50 mcg", "--age", "9 year", "--weight", "30 kg", "--json")
    assert result.exit_code == 0, result.output
    cited = {row["name"]: row["source"] for row in json.loads(result.stdout)["parameters"]}
    assert all("he2014" in cited[name] for name in PLASMA)
    assert cited["cl_plasma_ml_h"] == "he2014"
    adult = cli("pk", "--bolus", "50 mcg", "--json")
    cited_adult = {row["name"]: row["source"] for row in json.loads(adult.stdout)["parameters"]}
    assert cited_adult["cl_plasma_ml_h"] == "oral-adult-pk"
    assert not any("he2014" in cited_adult[name] for name in PLASMA)


def test_a_childs_clearance_cited_to_he2014_is_he2014s_per_kg_value():
    child = BaclofenPk.for_patient(30.0, 9.0)
    assert child.cl_plasma_ml_h == pytest.approx(0.273 * 1000 * 30.0)  # He 2014: 0.273 L/h/kg
    rows = {row["name"]: row for row in child.table()}
    assert rows["cl_plasma_ml_h"]["source"] == "he2014"


def test_every_paediatric_source_key_resolves_and_covers_the_plasma_parameters():
    assert set(PAEDIATRIC_SOURCES) == set(PLASMA)
    for key in PAEDIATRIC_SOURCES.values():
        check(key)


def test_issue_12_a_scenario_of_a_child_without_a_weight_is_refused_at_the_field(tmp_path):
    from itbtwin.errors import ScenarioError
    from itbtwin.sim import load_scenario

    text = (Path(__file__).parent.parent / "examples" / "missed_refill.toml").read_text()
    adult = text.replace('weight = "75 kg"\nage = "42 year"', 'age = "42 year"')
    child = adult.replace('age = "42 year"', 'age = "9 year"')
    assert adult != text and child != adult
    (tmp_path / "adult.toml").write_text(adult)
    (tmp_path / "child.toml").write_text(child)
    assert load_scenario(tmp_path / "adult.toml").patient.age_years == 42.0
    with pytest.raises(ScenarioError, match=r"patient\.weight .*needs a body weight"):
        load_scenario(tmp_path / "child.toml")


def test_issue_12_a_paediatric_trial_population_needs_a_weight():
    from pydantic import ValidationError

    from itbtwin.scale._population import BaclofenVariability

    with pytest.raises(ValidationError, match="needs weight_kg"):
        BaclofenVariability(origin="paediatric")
    assert BaclofenVariability(origin="paediatric", weight_kg=30.0).weight_kg == 30.0
    assert BaclofenVariability().weight_kg is None  # adults: weight plays no part
