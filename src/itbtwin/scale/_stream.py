"""Run a virtual trial in chunks with constant memory; results independent of how it is run.

Randomness lives in *blocks* of `population.block_size` patients: block b draws from the stream
`SeedSequence(seed, spawn_key=(b,))` (the b-th child of `SeedSequence(seed).spawn`), so each
patient depends only on the seed and their block. An execution chunk is a run of whole blocks;
its patients are simulated by the fast kernel into one reused buffer, shown to every outcome, and
dropped (each thread or worker adds its chunks into its own tallies). Tallies are integers
merged by addition, so one chunk, many chunks, threads or a Dask cluster all give bit-identical
summaries for the same seed.

When every outcome offers fused operations (`Outcome.fused`: the built-in quantiles, steady
state, time in range and episodes do), the chunk's series are never written: the compiled pass
(`_fused`, `_kernel_fused`) marches a tile of patients and updates the tallies in the same
loop, with the same integers as a result. Otherwise the general path below runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from itbtwin.patient import COMPACT
from itbtwin.scale import _kernel_numba
from itbtwin.scale._fused import FusedPlan
from itbtwin.scale._kernel import output_scale, propagation
from itbtwin.scale._limits import check_trial
from itbtwin.scale._spec import Trial
from itbtwin.scale._summaries import Chunk, Context, Tally

Progress = Callable[[int], None]
"""Called with the number of patients just finished."""


def block_rng(seed: int, block: int) -> np.random.Generator:
    """The random stream of one block of patients."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def plan_chunks(trial: Trial, chunk_size: int | None = None) -> list[tuple[int, int]]:
    """(first block, number of blocks) of each chunk; the chunk size is rounded up to blocks."""
    population = trial.population
    size = trial.execution.chunk_size if chunk_size is None else chunk_size
    times = int(trial.end_h / trial.output_step_h) + 2  # the grid's length, at most
    check_trial(population.size, trial.end_h, times, len(trial.outputs()), size)
    blocks = -(-population.size // population.block_size)
    per_chunk = max(1, -(-size // population.block_size))
    return [(first, min(per_chunk, blocks - first)) for first in range(0, blocks, per_chunk)]


class _Buffer:
    """One output buffer, reused while the chunk shape stays the same (no page faults)."""

    def __init__(self) -> None:
        self.array = np.empty(0)

    def get(self, shape: tuple[int, ...]) -> np.ndarray:
        if self.array.shape != shape:
            self.array = np.empty(shape)
        return self.array


def add_chunk(
    trial: Trial,
    first_block: int,
    n_blocks: int,
    tallies: list[Tally],
    buffer: _Buffer,
    fused: FusedPlan | None = None,
) -> int:
    """Simulate blocks [first, first + n), add them to ``tallies`` in place; return patients.

    With ``fused`` (bound to ``tallies``) the series are summarised during the march."""
    population, regimen = trial.population, trial.shared_regimen()
    streams = []
    for block in range(first_block, first_block + n_blocks):
        size = min(population.block_size, population.size - block * population.block_size)
        streams.append((block_rng(trial.seed, block), size))
    cohort = population.generator.cohort_of_blocks(streams, regimen)
    times, outputs = trial.times_h(), trial.outputs()
    names, wanted, scale = output_scale(COMPACT, cohort.params, outputs)
    prepared = propagation(
        COMPACT, cohort.params, cohort.inputs, times, wanted, scale, trial.execution.backend
    )
    n = prepared.n_patients
    if fused is not None and prepared.phi.shape[1] > 0:
        fused.add(prepared)
        return n
    series = prepared.march(0, n, buffer.get((len(names), times.size, n)))
    chunk = Chunk(times, names, series, cohort.records)
    for outcome, tally in zip(trial.outcomes, tallies, strict=True):
        outcome.collect(chunk, tally)
    return n


def run_chunks(
    trial: Trial,
    chunks: Sequence[tuple[int, int]],
    progress: Progress | None = None,
    kernel_threads: int | None = None,
    fused: bool | None = None,
) -> tuple[int, list[Tally]]:
    """Run chunks one after another into one set of tallies: (patients, tallies).

    ``kernel_threads`` caps the kernel's threads in this thread (1 when chunks run in parallel).
    ``fused``: None (default) summarises during the march when every outcome can and the
    backend is numba; False always takes the general path (same tallies, slower).
    """
    if kernel_threads is not None:
        _kernel_numba.set_threads(kernel_threads)
    times = trial.times_h()
    tallies = [outcome.empty(times) for outcome in trial.outcomes]
    plan = None
    if fused is not False and trial.execution.backend == "numba":
        plan = FusedPlan.of(trial.outcomes, tallies, times, trial.outputs())
    patients, buffer = 0, _Buffer()
    for first, count in chunks:
        n = add_chunk(trial, first, count, tallies, buffer, plan)
        patients += n
        if progress is not None:
            progress(n)
    if plan is not None:
        plan.finish()
    return patients, tallies


@dataclass(frozen=True)
class TrialResult:
    """Merged tallies of a whole trial, and the trial that made them."""

    trial: Trial
    n_patients: int
    tallies: list[Tally]

    def context(self) -> Context:
        """Population size and output grid, for the outcome reports."""
        times = self.trial.times_h()
        follow_up = self.trial.population.generator.follow_up_h(float(times[-1]))
        return Context(self.n_patients, times, follow_up)

    def report(self) -> dict[str, Any]:
        """The trial's summaries as JSON-ready numbers, one entry per outcome."""
        context = self.context()
        return {
            "trial": self.trial.name,
            "seed": self.trial.seed,
            "patients": self.n_patients,
            "patient_years": context.patient_years,
            "outcomes": [
                {"kind": o.kind, "label": o.title(), **o.report(t, context)}
                for o, t in zip(self.trial.outcomes, self.tallies, strict=True)
            ],
        }


def merge_all(trial: Trial, results: Iterable[tuple[int, list[Tally]]]) -> TrialResult:
    """Add up (patients, tallies) pairs, in any order, into one `TrialResult`."""
    times = trial.times_h()
    tallies = [outcome.empty(times) for outcome in trial.outcomes]
    patients = 0
    for n, part in results:
        patients += n
        for total, tally in zip(tallies, part, strict=True):
            total.merge(tally)
    return TrialResult(trial, patients, tallies)


def run_local(
    trial: Trial,
    *,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    fused: bool | None = None,
) -> TrialResult:
    """Run a trial in this process on ``NUMBA_NUM_THREADS`` threads (``fused``: `run_chunks`).

    With several chunks, each thread takes every k-th chunk into its own tallies (one output
    buffer and one set of tallies per thread: memory stays flat); the threads' tallies are
    added at the end. With one chunk, the kernel itself uses the threads.
    """
    chunks = plan_chunks(trial, chunk_size)
    threads = min(numba.config.NUMBA_NUM_THREADS, len(chunks))
    if threads <= 1:
        return merge_all(trial, [run_chunks(trial, chunks, progress, None, fused)])
    with ThreadPoolExecutor(threads, thread_name_prefix="itbtwin-chunk") as pool:
        shares = [
            pool.submit(run_chunks, trial, chunks[t::threads], progress, 1, fused)
            for t in range(threads)
        ]
        return merge_all(trial, [share.result() for share in shares])
