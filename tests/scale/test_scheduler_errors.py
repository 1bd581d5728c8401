"""Issue 12: a Dask scheduler that cannot be used is one line, after a bounded wait."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import pytest

import itbtwin.cli
from itbtwin.errors import TrialError
from itbtwin.scale._dask import check_scheduler

TRIAL = Path(__file__).parents[2] / "examples" / "trials" / "alarm_2ml.toml"


def _closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _silent_listener() -> socket.socket:
    """A local socket that accepts nothing: a connection to it waits until the timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    return listener


@pytest.mark.parametrize(
    "address", ["not an address", "tcp://host:port", "http://127.0.0.1:8786", ""]
)
def test_a_malformed_scheduler_address_is_refused_with_what_to_write(address):
    with pytest.raises(TrialError, match="write it as tcp://HOST:PORT") as refused:
        check_scheduler(address, 1.0)
    assert "\n" not in str(refused.value)


def test_issue_12_an_unreachable_scheduler_is_one_line_and_exit_2(monkeypatch, capsys):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    argv = ["itbtwin", "trial", "run", str(TRIAL), "--patients", "64", "--scheduler", address]
    monkeypatch.setattr(sys, "argv", argv)
    started = time.monotonic()
    with pytest.raises(SystemExit) as exited:
        itbtwin.cli.main()
    assert exited.value.code == 2
    assert time.monotonic() - started < 10  # the default wait is 5 s; a refused port is at once
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: cannot reach the Dask scheduler at {address}")


def test_the_wait_for_a_scheduler_is_bounded_by_connect_timeout(cli):
    # Fill the listen backlog so a further connection is not accepted and can only time out.
    listener = _silent_listener()
    host, port = listener.getsockname()
    fillers = []
    try:
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex((host, port))
            fillers.append(filler)
        started = time.monotonic()
        with pytest.raises(TrialError):
            check_scheduler(f"tcp://{host}:{port}", 0.5)
        assert time.monotonic() - started < 3
        result = cli("trial", "run", str(TRIAL), "--scheduler", "tcp://127.0.0.1:1",
                     "--connect-timeout", "0 s")  # fmt: skip
        assert isinstance(result.exception, TrialError)
        assert "longer than zero" in str(result.exception)
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
