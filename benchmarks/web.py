"""Issue 15 §10: the web workspace under load, on the loopback only, with bounded loops.

On a demo clinic of `--size` patients (500: `itbtwin demo --size 500`'s clinic, seed 7): the
dashboard, a patient page and its twin plots (the JSON the page's script fetches after it is shown),
each with `--clients` (10) signed-in clients at once, every client making `--requests` (20) requests
of each in turn (random patients: mostly first visits, whose plots the server has not kept); p50
and p95 latency, and the same pages for one client alone in the same run (the baseline: the ratio
shows what the concurrency costs), each after one untimed warm-up request. Then the wizard's
review step (safety check + 72 h dry run of both programs) for one client, `--requests` times.
Goals (2-core development machine): dashboard p95 < 300 ms, patient page p95 < 500 ms, dry run
< 1 s. SQLite in a temporary folder; PostgreSQL too when
``ITBTWIN_TEST_POSTGRES_URL`` is set (a fresh schema, dropped afterwards).

The first dashboard request computes the clinic overview (every pump's dates, cached in the
database and in the server process afterwards): it is timed on its own as "cold".

Run: .venv/bin/python benchmarks/web.py [--size 500] [--clients 10] [--requests 20]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from _common import machine, machine_line, show, write
from itbtwin import store
from itbtwin.web import WebSettings, create_app
from itbtwin.web._sessions import COOKIE, LOGIN_COOKIE

NOW = datetime(2026, 3, 2, 9, 0)
GOALS_MS = {"dashboard": 300.0, "patient": 500.0, "plots": 500.0, "dry_run": 1000.0}
PAGES = ("dashboard", "patient", "plots")
"""`plots` is the twin's figures (`/patients/ID/twin.json`), fetched by the patient page after it
is shown; held to the patient page's goal too."""
PASSWORD = "benchmark-password"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clinic(url: str, size: int, clients: int) -> tuple[list[int], tuple]:
    engine = store.open_engine(url)
    store.upgrade(engine)
    with store.transaction(engine) as db:
        clinic = store.build_demo_clinic(db, seed=7, today=NOW, size=size, actor="demo")
        for k in range(clients):
            store.add_user(db, "bench", f"nurse-{k}", "nurse", PASSWORD, temporary=False)
        ids = [p.patient_id for p in store.implanted_pumps(db)]
    engine.dispose()
    return ids, clinic.holidays


def _sign_in(base: str, name: str) -> httpx.Client:
    """A signed-in client. The cookies are `Secure`: a browser sends them to the loopback's plain
    HTTP, httpx only over HTTPS, so they are sent here as a header."""
    client = httpx.Client(base_url=base, timeout=60)
    form = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)
    data = {"login_token": token, "username": name, "password": PASSWORD}
    login = {"Cookie": f"{LOGIN_COOKIE}={form.cookies[LOGIN_COOKIE]}"}
    signed = client.post("/login", data=data, headers=login)
    assert signed.status_code == 303
    client.headers["Cookie"] = f"{COOKIE}={signed.cookies[COOKIE]}"
    return client


def _timed(client: httpx.Client, method: str, path: str, **kw: Any) -> float:
    start = time.perf_counter()
    response = client.request(method, path, **kw)
    elapsed = (time.perf_counter() - start) * 1e3
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def _load(base: str, names: list[str], ids: list[int], requests: int) -> dict[str, list[float]]:
    clients = [_sign_in(base, n) for n in names]
    found: dict[str, list[float]] = {page: [] for page in PAGES}
    lock = threading.Lock()

    def work(k: int) -> None:
        rng = random.Random(k)
        mine: dict[str, list[float]] = {page: [] for page in PAGES}
        for _ in range(requests):
            patient = rng.choice(ids)
            mine["dashboard"].append(_timed(clients[k], "GET", "/"))
            mine["patient"].append(_timed(clients[k], "GET", f"/patients/{patient}"))
            mine["plots"].append(_timed(clients[k], "GET", f"/patients/{patient}/twin.json"))
        with lock:
            for key, values in mine.items():
                found[key] += values

    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(work, range(len(clients))))
    for client in clients:
        client.close()
    return found


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _dry_run(base: str, ids: list[int], requests: int) -> list[float]:
    client = _sign_in(base, "nurse-0")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/audit").text).group(1)
    times = []
    for k in range(-1, requests):  # k = -1: a warm-up request, not timed
        form = {"csrf_token": csrf, "daily_dose": f"{200 + k} mcg/day", "phase": "titration"}
        elapsed = _timed(client, "POST", f"/patients/{ids[k % len(ids)]}/program/review", data=form)
        if k >= 0:
            times.append(elapsed)
    client.close()
    return times


def measure(url: str, size: int, clients: int, requests: int) -> dict[str, Any]:
    """Every figure for one database."""
    started = time.perf_counter()
    ids, holidays = _clinic(url, size, clients)
    built_s = time.perf_counter() - started
    engine = store.open_engine(url)
    settings = WebSettings(  # page speed: nurses sign in with a password only, as a clinic may set
        holidays=holidays, clinic_clock=lambda: NOW, plot_workers=2, mfa_roles=("physician",)
    )
    port = _port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine, settings), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        one = _sign_in(base, "nurse-0")
        cold = _timed(one, "GET", "/")
        _timed(one, "GET", f"/patients/{ids[-1]}")  # warm-up: templates compiled, not timed
        _timed(one, "GET", f"/patients/{ids[-1]}/twin.json")
        alone = {
            "dashboard": [_timed(one, "GET", "/") for _ in range(requests)],
            "patient": [_timed(one, "GET", f"/patients/{i}") for i in ids[:requests]],
            "plots": [_timed(one, "GET", f"/patients/{i}/twin.json") for i in ids[:requests]],
        }
        one.close()
        loaded = _load(base, [f"nurse-{k}" for k in range(clients)], ids, requests)
        dry = _dry_run(base, ids, requests)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        engine.dispose()
    out: dict[str, Any] = {"built_s": built_s, "cold_dashboard_ms": cold}
    for page in PAGES:
        out[page] = {
            "alone_p50_ms": statistics.median(alone[page]),
            "alone_p95_ms": _p95(alone[page]),
            "loaded_p50_ms": statistics.median(loaded[page]),
            "loaded_p95_ms": _p95(loaded[page]),
            "requests": len(loaded[page]),
        }
    out["dry_run"] = {"p50_ms": statistics.median(dry), "p95_ms": _p95(dry)}
    return out


def _postgres(base_url: str):  # type: ignore[no-untyped-def]
    schema = f"web_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), admin, schema


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    info = machine()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'clinic.db'}"
        results["sqlite"] = measure(url, args.size, args.clients, args.requests)
    pg = os.environ.get("ITBTWIN_TEST_POSTGRES_URL")
    if pg:
        url, admin, schema = _postgres(pg)
        try:
            results["postgresql"] = measure(url, args.size, args.clients, args.requests)
        finally:
            with admin.begin() as c:
                c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
    rows = []
    for db, r in results.items():
        for page in PAGES:
            p = r[page]
            rows.append(
                [
                    f"{db} {page}",
                    p["alone_p95_ms"],
                    p["loaded_p95_ms"],
                    p["loaded_p95_ms"] / p["alone_p95_ms"],
                    GOALS_MS[page],
                ]
            )
        rows.append(
            [f"{db} dry run (review)", r["dry_run"]["p95_ms"], "-", "-", GOALS_MS["dry_run"]]
        )
        rows.append([f"{db} cold dashboard", r["cold_dashboard_ms"], "-", "-", "-"])
    show(
        f"Web workspace, {args.size} patients, {args.clients} clients x {args.requests} requests "
        "(ms)",
        ["measure", "p95 one client", f"p95 {args.clients} clients", "ratio", "goal p95"],
        rows,
    )
    print(machine_line(info))
    path = write("web", {"machine": info, "args": vars(args), "results": results})
    print(f"results: {path}")


if __name__ == "__main__":
    main()
