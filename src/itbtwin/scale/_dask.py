"""The same trial on a Dask cluster: chunks as tasks, tallies merged as they come back.

Workers run `run_chunks` on one chunk of whole blocks each, exactly as the local runner does,
and return integer tallies; the client adds them up in whatever order they finish. So a cluster
gives bit-identical summaries to a local run for the same seed. At most `2 × workers` chunks are
in flight, so memory stays flat however large the population.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from itertools import islice
from typing import Any

from itbtwin.errors import TrialError
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


CONNECT_TIMEOUT_S = 5.0
"""How long (s) to wait for a Dask scheduler to answer before saying it cannot be reached."""


def check_scheduler(address: str, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """Refuse a malformed scheduler address, or one that does not answer within `timeout_s`.

    Checked with one plain connection before Dask's client is made, so the user gets one line
    (issue 12: an unreachable scheduler gave an 80-line traceback after 30 s).
    """
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port
    from distributed.comm.registry import backends

    try:
        scheme, location = parse_address(address)
        if scheme not in backends:
            raise ValueError(f"unknown scheme {scheme!r}")
        host, port = parse_host_port(location)
    except (ValueError, TypeError) as err:
        raise TrialError(
            f"--scheduler {address!r} is not a Dask scheduler address ({err}); "
            "write it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786"
        ) from None
    if scheme == "inproc":
        return
    try:
        socket.create_connection((host, port), timeout=timeout_s).close()
    except OSError as err:
        reason = "no answer" if isinstance(err, TimeoutError) else err.strerror or str(err)
        raise TrialError(
            f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s ({reason}); "
            "is it running, and is the address right?"
        ) from None


def run_dask(
    trial: Trial,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
) -> TrialResult:
    """Run a trial on the cluster at ``scheduler`` ("tcp://host:8786") or on a new local cluster
    of ``workers`` processes (bound to 127.0.0.1, closed afterwards). A scheduler that does not
    answer within ``connect_timeout_s`` (s) is a `TrialError`."""
    from distributed import Client, LocalCluster

    chunks = plan_chunks(trial, chunk_size)
    if scheduler is not None:
        check_scheduler(scheduler, connect_timeout_s)
        try:
            client = Client(scheduler, timeout=connect_timeout_s)
        except Exception as err:  # whatever answered is not a Dask scheduler we can use
            raise TrialError(
                f"the Dask scheduler at {scheduler} did not accept a client within "
                f"{connect_timeout_s:g} s ({type(err).__name__}: {err})"
            ) from None
        with client:
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
