"""The same trial on a real Dask LocalCluster gives the local run's bits (issue 7 §3)."""

from __future__ import annotations

import pytest

from itbtwin.scale import run_local
from itbtwin.scale._dask import run_dask

from .helpers import same_tallies, small_trial

distributed = pytest.importorskip("distributed")


def test_a_local_cluster_of_two_worker_processes_gives_bit_identical_summaries() -> None:
    trial = small_trial()
    local = run_local(trial)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        remote = run_dask(trial, scheduler=cluster.scheduler_address, chunk_size=512)
    assert same_tallies(remote, local)
