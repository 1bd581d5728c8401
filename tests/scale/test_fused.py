"""The fused pass (summaries updated during the march) gives the general path's exact tallies."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from itbtwin.scale import Chunk, Outcome, Tally, TrialResult, run_local
from itbtwin.scale._fused import FusedPlan, HistogramOp, _bin_fields
from itbtwin.scale._histogram import LogBins
from itbtwin.scale._kernel_fused import _bin, _bin_of_key
from itbtwin.scale._stream import _Buffer, add_chunk, plan_chunks, run_chunks
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
    times = trial.times_h()
    tallies = [outcome.empty(times) for outcome in trial.outcomes]
    plan = FusedPlan.of(trial.outcomes, tallies, times, trial.outputs())
    assert plan is not None
    assert plan.tables[2].shape[0] == 2  # time in range and episodes of 20–80 share one row


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
    histograms = sum(t["counts"].size for t in tallies if "counts" in t and t["counts"].ndim == 3)
    assert plan.acc.size == sum(a.size for t in tallies for a in t.values()) + histograms
    assert not plan.acc.any()
    tallies[0]["counts"][0, 0, 0] = 5
    assert plan.acc[0] == 5
    assert all(np.shares_memory(a, plan.acc) for t in tallies for a in t.values())


def test_histogram_changes_add_onto_counts_already_in_the_tallies() -> None:
    trial = small_trial(population__size=600)
    times = trial.times_h()
    tallies = [outcome.empty(times) for outcome in trial.outcomes]
    plan = FusedPlan.of(trial.outcomes, tallies, times, trial.outputs())
    assert plan is not None
    tallies[0]["counts"][...] = 7
    _, fused = run_chunks(trial, plan_chunks(trial, 256), fused=True)
    for chunk in plan_chunks(trial, 256):
        add_chunk(trial, *chunk, tallies, _Buffer(), plan)
    plan.finish()
    assert np.array_equal(tallies[0]["counts"], fused[0]["counts"] + 7)
    assert (tallies[0]["counts"].sum(axis=-1) == 600 + 7 * tallies[0]["counts"].shape[-1]).all()


def test_histogram_rows_must_increase() -> None:
    with pytest.raises(ValueError, match="must increase"):
        HistogramOp("plasma", np.array([0, 2, 1]), LogBins())


def _bits(value: float) -> int:
    return int(np.float64(value).view(np.int64))


@settings(deadline=None)  # the first call compiles
@example(_bits(-0.0), LogBins())
@example(_bits(np.inf), LogBins())
@example(_bits(2.0**-10), LogBins())
@example(_bits(2.0**-10) - 1, LogBins())
@example(_bits(2.0**20), LogBins())
@given(
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([LogBins(), LogBins(2.0**-3, 12, 3), LogBins(1.0, 4, 0), LogBins(8.0, 2, 9)]),
)
def test_the_bin_of_a_key_is_the_bin_of_the_bits(bits: int, bins: LogBins) -> None:
    """Every float64 bit pattern (negatives, zeros, infinities, NaNs too) lands in the same bin
    whether binned from its bits or from the key the fused histograms keep per patient."""
    base, shift, top = _bin_fields(bins)
    key = np.int64(bits).view(np.uint64) >> np.uint64(shift)
    assert _bin_of_key(key, np.uint64(shift), base >> shift, top) == _bin(bits, base, shift, top)
