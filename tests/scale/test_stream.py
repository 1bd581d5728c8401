"""Streaming trials: results independent of chunking and threads; memory flat (issue 7 §2)."""

from __future__ import annotations

import dataclasses
import tracemalloc

import numpy as np

from itbtwin.scale import block_rng, run_local
from itbtwin.scale._population import BaclofenVariability, PatientGenerator, concatenate
from itbtwin.scale._stream import plan_chunks

from .helpers import same_tallies, small_trial


def test_chunked_runs_give_bit_identical_summaries_to_one_chunk() -> None:
    trial = small_trial()
    whole = run_local(trial, chunk_size=10**6)
    for chunk_size in (256, 700, 2048):
        assert same_tallies(run_local(trial, chunk_size=chunk_size), whole)


def test_threads_give_bit_identical_summaries_to_one_thread(monkeypatch) -> None:
    trial = small_trial()
    monkeypatch.setattr("numba.config.NUMBA_NUM_THREADS", 1)
    one = run_local(trial, chunk_size=512)
    monkeypatch.setattr("numba.config.NUMBA_NUM_THREADS", 3)
    assert same_tallies(run_local(trial, chunk_size=512), one)


def test_chunks_are_whole_blocks_and_cover_the_population_once() -> None:
    trial = small_trial(population__size=1000, population__block_size=300)
    chunks = plan_chunks(trial, chunk_size=500)
    assert chunks == [(0, 2), (2, 2)]
    assert run_local(trial, chunk_size=500).n_patients == 1000


def test_a_block_stream_depends_only_on_the_seed_and_the_block() -> None:
    first = block_rng(7, 3).standard_normal(4)
    assert np.array_equal(first, block_rng(7, 3).standard_normal(4))
    assert not np.array_equal(first, block_rng(7, 4).standard_normal(4))
    assert not np.array_equal(first, block_rng(8, 3).standard_normal(4))


def test_a_chunk_drawn_at_once_equals_its_blocks_drawn_one_by_one() -> None:
    trial = small_trial()
    regimen = trial.shared_regimen()
    sizes = [(0, 300), (1, 300), (2, 117)]
    for generator in (
        BaclofenVariability(variability={"cl_csf_ml_h": 0.3, "v_lumbar_ml": 0.2}),
        BaclofenVariability(origin="paediatric", weight_kg=30.0, weight_cv=0.2),
    ):
        blocks = [generator.cohort(block_rng(5, b), n, regimen) for b, n in sizes]
        at_once = generator.cohort_of_blocks([(block_rng(5, b), n) for b, n in sizes], regimen)
        default = PatientGenerator.cohort_of_blocks(
            generator, [(block_rng(5, b), n) for b, n in sizes], regimen
        )
        expected = concatenate(blocks)
        for cohort in (at_once, default):
            assert cohort.inputs is regimen and cohort.records == {}
            for field in dataclasses.fields(expected.params):
                got = getattr(cohort.params, field.name)
                assert np.array_equal(got, getattr(expected.params, field.name))


def test_a_different_seed_gives_a_different_population() -> None:
    assert not same_tallies(run_local(small_trial(seed=1)), run_local(small_trial(seed=2)))


def test_memory_stays_flat_as_the_population_grows(monkeypatch) -> None:
    monkeypatch.setattr("numba.config.NUMBA_NUM_THREADS", 1)  # one chunk in flight: exact peaks

    def peak_mib(size: int) -> float:
        trial = small_trial(population__size=size)
        run_local(trial, chunk_size=512)
        tracemalloc.start()
        run_local(trial, chunk_size=512)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak / 2**20

    small, large = peak_mib(2048), peak_mib(16384)
    assert large < 1.05 * small + 0.5


def test_the_report_counts_patients_and_patient_years() -> None:
    report = run_local(small_trial()).report()
    assert report["patients"] == 3000
    assert np.isclose(report["patient_years"], 3000 * 5 / 365.25)
    kinds = [outcome["kind"] for outcome in report["outcomes"]]
    assert kinds == ["quantiles", "steady_state", "time_in_range", "episodes"]
