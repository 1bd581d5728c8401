"""`itbtwin serve` stopped by SIGTERM (how a service manager or `kill` stops it) ends as Ctrl+C
does: exit status 0 and its temporary folder removed. uvicorn re-raises the signal after its
shutdown, and the default action used to kill the process first, leaving `--demo`'s clinic
behind in the temporary folder (exit 143)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ITBTWIN = Path(sys.executable).parent / "itbtwin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, limit_s: float = 180) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {limit_s} s")


def test_serve_stopped_by_sigterm_exits_0_and_removes_its_temporary_folder(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    assert cli("db", "upgrade", "--database", url).exit_code == 0
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = _free_port()
    server = subprocess.Popen(
        [str(ITBTWIN), "serve", "--database", url, "--port", str(port)],
        env=os.environ | {"TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/login", server)
        assert [p.name[:13] for p in temporary.iterdir()] == ["itbtwin-demo-"]
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0, output
    assert list(temporary.iterdir()) == []
