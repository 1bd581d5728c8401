"""The same trial on a Dask cluster: chunks as tasks, tallies merged as they come back.

Workers run `run_chunks` on one chunk of whole blocks each, exactly as the local runner does,
and return integer tallies; the client adds them up in whatever order they finish. So a cluster
gives bit-identical summaries to a local run for the same seed. At most `2 × workers` chunks are
in flight, so memory stays flat however large the population.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from itbtwin.scale._spec import Trial
from itbtwin.scale._stream import Progress, TrialResult, merge_all, plan_chunks, run_chunks
from itbtwin.scale._summaries import Tally


def _results(
    client: Any, trial: Trial, chunks: list[tuple[int, int]], progress: Progress | None
) -> Iterator[tuple[int, list[Tally]]]:
    from distributed import as_completed

    def submit(chunk: tuple[int, int]) -> Any:
        return client.submit(run_chunks, trial, [chunk], None, 1, pure=False)

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    queue = iter(chunks)
    running = as_completed([submit(chunk) for chunk in islice(queue, 2 * workers)])
    for future in running:
        patients, tallies = future.result()
        future.release()
        if progress is not None:
            progress(patients)
        following = next(queue, None)
        if following is not None:
            running.add(submit(following))
        yield patients, tallies


def run_dask(
    trial: Trial,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> TrialResult:
    """Run a trial on the cluster at ``scheduler`` ("tcp://host:8786") or on a new local cluster
    of ``workers`` processes (bound to 127.0.0.1, closed afterwards)."""
    from distributed import Client, LocalCluster

    chunks = plan_chunks(trial, chunk_size)
    if scheduler is not None:
        with Client(scheduler) as client:
            return merge_all(trial, _results(client, trial, chunks, progress))
    with (
        LocalCluster(
            n_workers=workers or 2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        return merge_all(trial, _results(client, trial, chunks, progress))
