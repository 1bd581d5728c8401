"""The shipped virtual trials: they run small and fast, and answer in the published direction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from itbtwin.scale import Trial, load_trial, run_local

EXAMPLES = Path(__file__).parents[2] / "examples" / "trials"
NEW = [
    "alarm_2ml",
    "alarm_4ml",
    "dose_by_origin_spinal",
    "dose_by_origin_cerebral",
    "dose_by_origin_paediatric",
    "dose_drift_3y",
    "catheter_faults",
]


def small(name: str, size: int = 1024) -> Trial:
    """The example trial at ``size`` patients in blocks of 256."""
    trial = load_trial(EXAMPLES / f"{name}.toml")
    population = trial.population.model_copy(update={"size": size, "block_size": 256})
    return trial.model_copy(update={"population": population})


def outcome(name: str, label_start: str, size: int = 1024) -> dict:
    report = run_local(small(name, size)).report()
    return next(o for o in report["outcomes"] if o["label"].startswith(label_start))


@pytest.mark.parametrize("name", NEW)
def test_each_example_runs_at_small_size_and_writes_a_report(name: str, tmp_path: Path) -> None:
    from itbtwin.scale._report import write_report

    path = write_report(run_local(small(name, 512)), tmp_path / "report.html")
    assert "data:image/png" in path.read_text() or "<table>" in path.read_text()


def test_alarm_at_4_ml_gives_fewer_withdrawal_episodes_than_2_ml() -> None:
    two = outcome("alarm_2ml", "withdrawal", 2048)
    four = outcome("alarm_4ml", "withdrawal", 2048)
    assert four["per_1000_patient_years"] < two["per_1000_patient_years"]
    assert four["share_of_patients"] < two["share_of_patients"]


@pytest.mark.parametrize(
    ("group", "low", "high"),
    [("spinal", 300, 800), ("cerebral", 90, 703), ("paediatric", 24, 1199)],
)
def test_origin_median_dose_lies_in_the_label_band(group: str, low: float, high: float) -> None:
    median = outcome(f"dose_by_origin_{group}", "maintenance")["quantiles"]["0.5"]
    assert low <= median <= high


def test_intrathecal_drift_is_smaller_than_oral_and_in_the_product_page_bands() -> None:
    itb = outcome("dose_drift_3y", "intrathecal")["quantiles"]["0.5"]
    oral = outcome("dose_drift_3y", "oral")["quantiles"]["0.5"]
    assert 3 <= itb <= 5 < 9 <= oral <= 21


def test_catheter_fault_rate_is_near_feller2021() -> None:
    rates = outcome("catheter_faults", "catheter", 8192)["per_1000_patient_years"]
    total = sum(rates[k] for k in ("occlusion", "fracture", "disconnection", "kink"))
    assert total == pytest.approx(1000 * 9 / (126 * 43 / 12), rel=0.15)


@pytest.mark.parametrize("name", ["alarm_2ml", "dose_drift_3y", "catheter_faults"])
def test_new_outcomes_are_bit_identical_chunked_or_not(name: str) -> None:
    trial = small(name, 1024)
    whole = run_local(trial, chunk_size=1024)
    chunked = run_local(trial, chunk_size=256)
    for a, b in zip(whole.tallies, chunked.tallies, strict=True):
        assert a.keys() == b.keys()
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])
