"""The alarm trial explains itself: declared calibration, a traced typical patient (issue 7 §4)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from itbtwin.scale import load_trial, run_local
from itbtwin.scale._alarm_mechanism import explain, traces, typical_patient
from itbtwin.scale._report import write_report
from itbtwin.scale._stream import block_rng
from itbtwin.scale._trials_pump import CALIBRATION, ReservoirAlarm
from itbtwin.scale._withdrawal import CALIBRATION as WITHDRAWAL_CALIBRATION
from itbtwin.scale._withdrawal import Withdrawal
from itbtwin.sources import check

EXAMPLES = Path(__file__).parents[2] / "examples" / "trials"
_NOT_CALIBRATION = {"kind", "group", "days", "mechanism_alarms_ml"}


def test_every_alarm_setting_is_declared_with_a_unit_and_a_resolvable_source() -> None:
    numeric = set(ReservoirAlarm.model_fields) - _NOT_CALIBRATION
    assert numeric == set(CALIBRATION)
    assert set(WITHDRAWAL_CALIBRATION) <= set(Withdrawal.model_fields)
    for row in (*CALIBRATION.values(), *WITHDRAWAL_CALIBRATION.values()):
        assert row.unit and row.help and row.basis
        check(row.source)


@pytest.mark.parametrize("name", ["alarm_2ml", "alarm_4ml"])
def test_the_alarm_trial_files_state_every_calibrated_setting(name: str) -> None:
    text = (EXAMPLES / f"{name}.toml").read_text()
    for setting in (*CALIBRATION, *WITHDRAWAL_CALIBRATION):
        assert f"\n{setting} = " in text, setting
    trial = load_trial(EXAMPLES / f"{name}.toml")
    assert trial.population.generator == ReservoirAlarm(
        alarm_ml=trial.population.generator.alarm_ml
    ), "the files spell out the defaults"


def _traced() -> list:
    trial = load_trial(EXAMPLES / "alarm_2ml.toml")
    generator = trial.population.generator
    withdrawal = next(o for o in trial.outcomes if isinstance(o, Withdrawal))
    patient = typical_patient(generator, block_rng(trial.seed, 0), 256)
    return traces(generator.model_copy(update={"days": 150}), patient, withdrawal)


def test_typical_patient_withdraws_before_the_2_ml_refill_but_not_with_4_ml() -> None:
    two, four = _traced()
    assert (two.alarm_ml, four.alarm_ml) == (2.0, 4.0)
    first = four.refill_days[four.refill_days > four.alarm_days[0]][0]
    assert four.residual_ml[first - 1] > four.falter_ml  # refilled before faltering starts
    assert not four.withdrawal[: 24 * first].any()
    refill = two.refill_days[two.refill_days > two.alarm_days[0]][0]
    faltering = np.flatnonzero(two.delivered_mcg_day < two.programmed_mcg_day)
    assert faltering[0] < two.alarm_days[0]  # delivery falters before the 2 mL alarm sounds
    assert two.withdrawal[24 * faltering[0] + 24 : 24 * refill].all()


def test_trace_delivery_is_the_programme_until_faltering_then_its_falter_fraction() -> None:
    two, _ = _traced()
    generator = ReservoirAlarm()
    falter = np.flatnonzero(two.delivered_mcg_day < two.programmed_mcg_day)[0]
    np.testing.assert_allclose(two.delivered_mcg_day[:falter], two.programmed_mcg_day)
    assert two.delivered_mcg_day[falter] == pytest.approx(
        generator.falter_fraction * two.programmed_mcg_day
    )


def test_threshold_concentration_is_where_the_tone_reduction_crosses_the_threshold() -> None:
    withdrawal = Withdrawal()
    level = withdrawal.threshold_ng_ml(400.0)
    below = withdrawal.reduction(
        np.array([[level * 0.99], [level * 1.01]]), [400.0], np.ones(2) * 48
    )
    assert below[0, 0] < withdrawal.threshold() < below[1, 0]


def test_alarm_report_has_the_mechanism_figure_and_calibration_table(tmp_path: Path) -> None:
    trial = load_trial(EXAMPLES / "alarm_4ml.toml")
    population = trial.population.model_copy(update={"size": 256, "block_size": 256})
    trial = trial.model_copy(update={"population": population})
    text = write_report(run_local(trial), tmp_path / "alarm.html").read_text()
    assert "Mechanism: why the alarm volume matters" in text
    assert 'alt="alarm mechanism"' in text
    assert "generator.falter_fraction" in text and "<b>assumption</b>" in text
    assert "generator.refill_delay_median_days" in text
    assert "alarm at 2 mL" in explain(trial) and "alarm at 4 mL" in explain(trial)
