"""The fused pass (summaries updated during the march) gives the general path's exact tallies."""

from __future__ import annotations

import numpy as np
import pytest

from itbtwin.scale import Chunk, Outcome, Tally, TrialResult, run_local
from itbtwin.scale._fused import FusedPlan
from itbtwin.scale._summaries import count_where

from .helpers import same_tallies, small_trial

CHUNK_SIZES = [256, 700, 2048, 10**6]


@pytest.fixture(scope="module")
def general():
    return run_local(small_trial(), fused=False)


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_fused_summaries_are_bit_identical_to_the_general_path(general, chunk_size) -> None:
    assert same_tallies(run_local(small_trial(), chunk_size=chunk_size, fused=True), general)


def test_fused_summaries_do_not_depend_on_kernel_threads_in_one_chunk(monkeypatch) -> None:
    trial = small_trial(population__size=2000)
    monkeypatch.setattr("numba.config.NUMBA_NUM_THREADS", 1)
    one = run_local(trial, chunk_size=10**6)
    monkeypatch.setattr("numba.config.NUMBA_NUM_THREADS", 3)
    assert same_tallies(run_local(trial, chunk_size=10**6), one)
    assert same_tallies(run_local(trial, fused=False), one)


def test_fused_handles_sparse_quantile_rows_two_sided_ranges_and_long_windows() -> None:
    outcomes = [
        {"kind": "quantiles", "outputs": ["plasma", "csf_cisternal"], "every_h": 6},
        {"kind": "quantiles", "outputs": ["csf_lumbar"], "sub_bits": 3, "octaves": 12},
        {"kind": "steady_state", "output": "plasma", "window_h": 500, "thresholds_ng_ml": [1]},
        {"kind": "time_in_range", "output": "csf_lumbar", "above_ng_ml": 20, "below_ng_ml": 80},
        {"kind": "episodes", "output": "csf_lumbar", "above_ng_ml": 20, "below_ng_ml": 80},
        {"kind": "episodes", "output": "plasma", "above_ng_ml": 0.5},
    ]
    trial = small_trial(population__size=1500, outcomes=outcomes)
    general = run_local(trial, fused=False)
    assert same_tallies(run_local(trial, chunk_size=512, fused=True), general)
    assert general.tallies[4]["episodes"][0] > 0  # the comparison saw entries


class _PeakAbove(Outcome):
    """A whole-series outcome without fused operations: patients whose peak exceeds a level."""

    kind: str = "peak_above"
    level_ng_ml: float = 100.0

    def needs(self) -> tuple[str, ...]:
        return ("csf_lumbar",)

    def empty(self, times_h: np.ndarray) -> Tally:
        return Tally(patients=np.zeros(1, np.int64))

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        tally["patients"] += count_where(chunk.of("csf_lumbar").max(axis=0) > self.level_ng_ml)


def test_a_general_outcome_makes_the_whole_run_take_the_general_path() -> None:
    base = small_trial(population__size=1000)
    trial = base.model_copy(update={"outcomes": [*base.outcomes, _PeakAbove()]})
    times = trial.times_h()
    tallies = [outcome.empty(times) for outcome in trial.outcomes]
    assert FusedPlan.of(trial.outcomes, tallies, times, trial.outputs()) is None
    result = run_local(trial, chunk_size=300)
    assert same_tallies(run_local(base, chunk_size=300, fused=True), _without_last(result))
    assert 0 < result.tallies[-1]["patients"][0] <= 1000  # the whole-series outcome ran


def _without_last(result: TrialResult) -> TrialResult:
    return TrialResult(result.trial, result.n_patients, result.tallies[:-1])


def test_fused_tallies_are_views_that_start_from_the_empty_tallies() -> None:
    trial = small_trial()
    times = trial.times_h()
    tallies = [outcome.empty(times) for outcome in trial.outcomes]
    plan = FusedPlan.of(trial.outcomes, tallies, times, trial.outputs())
    assert plan is not None
    assert plan.acc.size == sum(a.size for t in tallies for a in t.values())
    assert not plan.acc.any()
    tallies[0]["counts"][0, 0, 0] = 5
    assert plan.acc[0] == 5
    assert all(np.shares_memory(a, plan.acc) for t in tallies for a in t.values())
