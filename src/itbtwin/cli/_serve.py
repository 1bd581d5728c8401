"""`itbtwin serve`: the clinic's web workspace on this machine (loopback by default).

``--demo`` records a demo clinic in a temporary folder, adds one account per role and prints
their passwords and TOTP secrets once (demo accounts are enrolled already and their passwords
are not temporary, so a newcomer signs in at once). FastAPI and uvicorn are imported only
here, so the other commands start without them.
"""

from __future__ import annotations

import ipaddress
import shlex
import signal
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from itbtwin import store
from itbtwin.cli._app import app, console, err_console
from itbtwin.cli._store_args import Database, engine_for
from itbtwin.errors import RecordError

DEMO_ROLES = (("physician", "dr-demo"), ("nurse", "nurse-demo"), ("researcher", "researcher-demo"))
DEMO_SIZE = 50
"""Patients in the demo clinic (as `itbtwin demo`)."""


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (cookies may go without HTTPS there)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def demo_clinic(folder: Path, size: int = DEMO_SIZE) -> tuple[str, tuple, dict[str, str]]:
    """A demo clinic with one user per role: the URL, its holidays, user → password and TOTP
    secret (every role gives a code: ASVS 5.0 6.3.2)."""
    url = f"sqlite:///{folder / 'demo-clinic.db'}"
    engine = store.open_engine(url)
    store.upgrade(engine)
    now = datetime.now().replace(second=0, microsecond=0)
    passwords = {name: store.new_password() for _, name in DEMO_ROLES}
    with console.status("recording the demo clinic"), store.transaction(engine) as session:
        clinic = store.build_demo_clinic(session, seed=7, today=now, size=size, actor="demo")
        for role, name in DEMO_ROLES:
            user = store.add_user(
                session, "demo", name, role, passwords[name], temporary=False, enrolled=True
            )
            if user.totp_secret:
                passwords[name] += (
                    f"\n    TOTP secret {user.totp_secret} (add it to an authenticator app, or "
                    f'print the code now: {shlex.quote(sys.executable)} -c "import pyotp; '
                    f"print(pyotp.TOTP('{user.totp_secret}').now())\")"
                )
    engine.dispose()
    return url, clinic.holidays, passwords


def _stop(signum: int, frame: object) -> None:
    """SIGTERM (a service manager's stop) ends like Ctrl+C: uvicorn shuts down, then re-raises
    the signal, and this handler turns it into an exit that removes the demo clinic's temporary
    folder (the default action would kill the process and leave the folder behind)."""
    raise SystemExit(0)


@app.command("serve")
def serve(
    demo: Annotated[bool, typer.Option(help="Serve a fresh demo clinic (temporary).")] = False,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    second_factor: Annotated[
        str,
        typer.Option(
            help="Roles that sign in with an authenticator app's code (comma-separated, or none)."
        ),
    ] = ",".join(store.MFA_ROLES),
    database: Database = None,
) -> None:
    """Open the clinic's web workspace: dashboard, patients, program changes, refills, audit."""
    import socket

    if demo and database is not None:  # it served the demo, the URL unread (issue 17)
        raise RecordError("--demo serves a new temporary demo clinic: leave out --database")
    if not 1 <= port <= 65535:  # 70000 ended in uvicorn's traceback (issue 17)
        raise RecordError(f"--port {port} is not a TCP port: give one from 1 to 65535")
    try:
        socket.getaddrinfo(host, port)
    except (socket.gaierror, UnicodeError):
        raise RecordError(
            f"--host {host!r} is not an address: give an IP address or a host name that resolves"
        ) from None
    import uvicorn

    from itbtwin.store._engine import READ_ONLY, keeps_cache

    mfa_roles = store.second_factor_roles(second_factor)

    from itbtwin.web import WebSettings, create_app

    loopback = is_loopback(host)
    if not loopback:
        err_console.print(
            f"warning: listening on {host}, beyond this machine: put HTTPS in front "
            "(the session cookie is sent over HTTPS only)"
        )
    with tempfile.TemporaryDirectory(prefix="itbtwin-demo-") as folder:
        holidays: tuple = ()
        if demo:
            database, holidays, passwords = demo_clinic(Path(folder))
            console.print("demo accounts (shown once):")
            for role, name in DEMO_ROLES:
                console.print(
                    f"  {role:<10} {name:<16} {passwords[name]}", highlight=False, soft_wrap=True
                )
        engine = engine_for(database)
        with store.transaction(engine) as session:
            if not store.list_users(session):
                err_console.print(
                    "nobody can sign in yet: add a user with `itbtwin user add NAME --role "
                    "physician|nurse|researcher`"
                )
            if not keeps_cache(session):  # the database stores nothing: no sign-in, no change
                err_console.print(
                    f"warning: {READ_ONLY}: those signed in before can read every page; signing "
                    "in and every change are refused"
                )
        settings = WebSettings(
            secure_cookies=not loopback, holidays=holidays, plot_workers=2, mfa_roles=mfa_roles
        )
        console.print(f"open http://{host}:{port}/ in a browser (Ctrl+C stops)", highlight=False)
        signal.signal(signal.SIGTERM, _stop)
        uvicorn.run(create_app(engine, settings), host=host, port=port, log_level="warning")
