"""The twin: pump delivery into the exact PK solver, one outcome, the `simulate` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from itbtwin.cli import main
from itbtwin.patient import BaclofenPk
from itbtwin.sim import loads_scenario, run_twin, steady_state_ng_ml

EXAMPLES = Path(__file__).parents[1] / "examples"
TEMPLATE = Path(__file__).parent / "pump" / "minimal_scenario.toml"


def scenario_text(**values: str) -> str:
    """The minimal scenario (SynchroMed II 20 mL, 20 mL of 500 mcg/mL) with fields replaced."""
    fields = {"duration": "10 day", "device": "synchromed2-20", "volume": "20 mL"}
    return TEMPLATE.read_text().format(**{**fields, "dose": "250 mcg/day", **values})


@pytest.fixture(scope="module")
def stable():
    return run_twin(loads_scenario(scenario_text(duration="41 day")))


def test_outcome_has_hourly_series_of_equal_length(stable) -> None:
    series = stable.series
    assert np.array_equal(series["time_h"], np.arange(41 * 24 + 1.0))
    for name in ("reservoir_ml", "delivered_mcg_per_h", "csf_lumbar_ng_ml", "plasma_ng_ml"):
        assert series[name].shape == series["time_h"].shape


def test_a_patient_on_therapy_starts_at_steady_state(stable, adult) -> None:
    expected = steady_state_ng_ml(BaclofenPk.for_patient(70.0, 40.0), 250 / 24)["csf_lumbar"]
    assert stable.series["csf_lumbar_ng_ml"][0] == pytest.approx(expected, rel=1e-6)
    assert stable.series["delivered_mcg_per_h"][0] == pytest.approx(250 / 24)


def test_reservoir_series_is_exact_and_delivery_stops_when_dry(stable) -> None:
    assert stable.series["reservoir_ml"][36 * 24] == pytest.approx(2.0)
    assert stable.summary["first_day_of"]["low_reservoir"] == 36.0
    assert stable.series["delivered_mcg_per_h"][40 * 24 - 1] == pytest.approx(250 / 24)
    assert stable.series["delivered_mcg_per_h"][-1] == 0.0


def test_summary_compares_delivered_with_programmed(stable) -> None:
    assert stable.summary["delivered_mcg"] == pytest.approx(40 * 250)
    assert stable.summary["delivered_over_programmed"] == pytest.approx(40 / 41)
    assert stable.summary["refill_due_day"] == 36.0


def test_outcome_takes_extra_columns_for_a_response_model(stable) -> None:
    mas = np.zeros_like(stable.series["time_h"])
    assert "mas" in stable.with_columns(mas=mas).series
    with pytest.raises(ValueError, match="one per output time"):
        stable.with_columns(mas=mas[:-1])


def test_oral_doses_reach_plasma() -> None:
    text = scenario_text(duration="2 day") + '\n[[oral]]\nat = "1 day"\ndose = "10 mg"\n'
    outcome = run_twin(loads_scenario(text))
    assert outcome.series["plasma_ng_ml"][26] > 10 * outcome.series["plasma_ng_ml"][23]


def test_simulate_prints_summary_and_event_log(cli) -> None:
    result = cli("simulate", str(EXAMPLES / "missed_refill.toml"))
    assert result.exit_code == 0, result.output
    assert "Event log" in result.output and "low reservoir" in result.output
    assert "Alarm tones" in result.output


def test_simulate_json_has_the_issue_keys(cli) -> None:
    result = cli("simulate", str(EXAMPLES / "mri_delayed_restart.toml"), "--json")
    payload = json.loads(result.output)
    for key in (
        "time_h",
        "reservoir_ml",
        "delivered_mcg_per_h",
        "csf_lumbar_ng_ml",
        "plasma_ng_ml",
    ):
        assert len(payload[key]) == len(payload["time_h"])
    assert {"time_h", "kind", "detail"} <= set(payload["events"][0])


def test_simulate_writes_a_plot(cli, tmp_path) -> None:
    target = tmp_path / "twin.png"
    result = cli("simulate", str(EXAMPLES / "pocket_fill.toml"), "--plot", str(target))
    assert result.exit_code == 0 and target.stat().st_size > 10_000


def test_a_malformed_scenario_exits_2_naming_the_line_and_runs_nothing(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(scenario_text(device="pump9"))
    plot = tmp_path / "never.png"
    argv, sys.argv = sys.argv, ["itbtwin", "simulate", str(bad), "--plot", str(plot)]
    try:
        with pytest.raises(SystemExit) as exit_info:
            main()
    finally:
        sys.argv = argv
    assert exit_info.value.code == 2 and not plot.exists()
    assert "pump.device (line 8)" in capsys.readouterr().err


@pytest.mark.parametrize("lumbar_ng_ml", [5.0, 41.7, 500.0])
def test_the_twin_patient_is_controlled_on_any_prescription(lumbar_ng_ml):
    """Below the typical need the patient is more sensitive (lower EC50), above it tolerant;
    either way the prescribed steady state gives the maintenance response exactly."""
    from itbtwin.patient._effect import MAINTENANCE_TARGET_REDUCTION, concentration_for_reduction
    from itbtwin.sim._twin_response import controlled_effect

    effect = controlled_effect(lumbar_ng_ml)
    assert float(effect.tolerance) >= 1.0
    reached = concentration_for_reduction(MAINTENANCE_TARGET_REDUCTION, effect)
    assert float(reached) == pytest.approx(lumbar_ng_ml, rel=1e-12)
