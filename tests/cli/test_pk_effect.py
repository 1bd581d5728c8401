"""`itbtwin pk --effect`, `--model spatial` and `itbtwin population`, run in-process."""

from __future__ import annotations

import json

import itbtwin.cli
from itbtwin.patient import MAS_GRADES


def test_pk_effect_json_has_mas_grades_as_strings_and_penn_scores_from_a_penn_baseline(cli):
    result = cli(
        "pk", "--bolus", "50 mcg", "--hours", "12", "--effect", "--baseline-mas", "3",
        "--baseline-penn", "3", "--baseline-penn-severity", "2", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert all(isinstance(g, str) and g in MAS_GRADES for g in payload["mas_grade"])
    assert payload["mas_grade"][0] == "3" and "2" in payload["mas_grade"]
    assert all(0 <= f <= 4 for f in payload["penn_frequency"])
    assert all(s is None or 1 <= s <= 3 for s in payload["penn_severity"])
    assert 0.5 <= payload["effect_timing_h"]["onset_h"] <= 1.0


def test_pk_effect_table_shows_mas_and_penn_only_with_a_penn_baseline(cli):
    args = ("pk", "--infusion", "100 mcg/day", "--hours", "48", "--effect", "--baseline-mas", "3")
    result = cli(*args, "--baseline-penn", "3", "--baseline-penn-severity", "2")
    assert result.exit_code == 0, result.output
    assert "MAS" in result.output and "Penn" in result.output and "onset" in result.output
    plain = cli(*args)
    assert plain.exit_code == 0, plain.output
    assert "MAS" in plain.output and "Penn" not in plain.output  # no Penn baseline assumed
    assert "penn_frequency" not in json.loads(cli(*args, "--json").output)


def test_pk_penn_baseline_with_spasms_needs_its_severity(cli):
    args = ("pk", "--bolus", "50 mcg", "--effect", "--baseline-mas", "3", "--baseline-penn", "2")
    result = cli(*args)
    assert "needs its severity" in str(result.exception) and result.stdout == ""


def test_pk_spatial_model_reports_tip_and_level(cli):
    args = ("pk", "--infusion", "500 mcg/day", "--model", "spatial", "--tip", "T10")
    result = cli(*args, "--level", "L3", "--hours", "24", "--json")
    payload = json.loads(result.output)
    assert payload["model"] == "spatial"
    assert payload["csf_T10_ng_ml"][-1] > 10 * payload["csf_L3_ng_ml"][-1]


def test_pk_spatial_plot_with_effect_panel_is_written(cli, tmp_path):
    target = tmp_path / "mas.png"
    result = cli(
        "pk",
        "--bolus",
        "50 mcg",
        "--effect",
        "--baseline-mas",
        "3",
        "--plot",
        str(target),
        "--hours",
        "12",
    )
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 10_000


def test_pk_level_t13_is_an_input_error(cli):
    result = cli("pk", "--bolus", "50 mcg", "--model", "spatial", "--tip", "T13")
    assert result.exit_code != 0
    assert "T13" in str(result.exception)


def test_population_prints_quantiles_beside_the_published_range(cli):
    result = cli("population", "--n", "2000", "--origin", "cerebral", "--seed", "4", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    stats = payload["simulated_mcg_per_day"]
    assert stats["p5"] < stats["p25"] < stats["median"] < stats["p75"] < stats["p95"]
    assert payload["published"]["typical_low_mcg_per_day"] == 90
    again = cli("population", "--n", "2000", "--origin", "cerebral", "--seed", "4", "--json")
    assert again.output == result.output


def test_population_table_names_the_label_band(cli):
    result = cli("population", "--n", "500", "--origin", "spinal", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "300–800" in result.output and "median" in result.output
    assert itbtwin.cli.app is not None
