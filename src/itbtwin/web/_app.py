"""The application factory: routes, security headers, the error boundary and local static files.

Security headers follow OWASP's secure headers project: a Content-Security-Policy that allows no
inline script and no framing, no MIME sniffing, no referrer, and `Cache-Control: no-store` on
every page (pages carry patient data; only the static files are cached).
"""

from __future__ import annotations

import logging
import multiprocessing
import traceback
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from itbtwin.errors import ItbError
from itbtwin.store._engine import READ_ONLY
from itbtwin.store._refusals import refusal
from itbtwin.web._deps import NotSignedIn, SetupNeeded
from itbtwin.web._limits import FormLimits
from itbtwin.web._pages import HERE, render
from itbtwin.web._plots import warm_up
from itbtwin.web._reads import read_engine
from itbtwin.web._settings import WebSettings
from itbtwin.web._trials import TrialQueue

log = logging.getLogger("itbtwin.web")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""No inline or remote script; inline styles only because Plotly sets them on its SVG."""
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}

READ_ONLY_PAGES = (
    "Pages can be read; to record or sign in, the server needs write access to the database "
    "(ask the clinic's administrator)."
)
"""What a page says when the database refused a change (`database_refused`)."""

HSTS = "max-age=31536000; includeSubDomains"
"""HTTPS only for a year, subdomains included (OWASP ASVS 5.0 3.4.1), sent when the workspace is
offered beyond the loopback (`WebSettings.secure_cookies`)."""


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _errors(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _err: NotSignedIn) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(SetupNeeded)
    async def setup_needed(request: Request, _err: SetupNeeded) -> Response:
        return RedirectResponse("/account/setup", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        titles = {403: "Not for your role", 404: "Not found", 405: "Not allowed"}
        title = titles.get(err.status_code, "Request refused")
        return render(
            request, "error.html", {"title": title, "detail": err.detail}, err.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, _err: RequestValidationError) -> Response:
        return render(request, "error.html", {"title": "Not found", "detail": "no such page"}, 404)

    @app.exception_handler(ItbError)
    async def itb_error(request: Request, err: ItbError) -> Response:
        return render(request, "error.html", {"title": "Not possible", "detail": str(err)}, 400)

    @app.exception_handler(Exception)
    async def crash(request: Request, err: Exception) -> Response:
        # The stack only: an exception's message may quote a record (no patient data in logs).
        stack = "".join(traceback.format_tb(err.__traceback__))
        log.error(
            "error on %s %s: %s\n%s", request.method, request.url.path, type(err).__name__, stack
        )
        detail = (
            "Something went wrong on the server; nothing was changed. "
            "The details are in the server log."
        )
        page = render(request, "error.html", {"title": "Server error", "detail": detail}, 500)
        page.headers.update(HEADERS | {"Cache-Control": "no-store"})  # outside the middleware
        return page

    @app.exception_handler(DBAPIError)
    async def database_refused(request: Request, err: DBAPIError) -> Response:
        # A read-only clinic (a SQLite file the server may not write, a read-only PostgreSQL
        # connection or role) is a plain page saying so, without the database's location (the
        # log has the reason); the transaction was rolled back.
        if refusal(err, request.app.state.engine) is None:
            raise err  # any other failure: the server error page (`crash`)
        log.warning("%s %s refused by the database: %s", request.method, request.url.path,
                    getattr(err.orig, "sqlstate", None) or type(err.orig).__name__)  # fmt: skip
        detail = f"{READ_ONLY}: nothing was changed. {READ_ONLY_PAGES}"
        return render(request, "error.html", {"title": "Read-only", "detail": detail}, 503)


def create_app(engine: Engine, settings: WebSettings | None = None) -> FastAPI:
    """The workspace on a database whose schema is current (`store.require_current`)."""
    from itbtwin import store
    from itbtwin.web import (
        _routes_account,
        _routes_auth,
        _routes_booking,
        _routes_clinic,
        _routes_cohort,
        _routes_event,
        _routes_patient,
        _routes_records,
        _routes_settings,
        _routes_trials,
        _routes_wizard,
    )

    store.require_current(engine)
    settings = settings or WebSettings()
    pool = (
        ProcessPoolExecutor(settings.plot_workers, mp_context=multiprocessing.get_context("spawn"))
        if settings.plot_workers
        else None
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if pool is not None:  # start the workers now, not at the first patient's plots
            for _ in range(settings.plot_workers):
                pool.submit(warm_up)
        yield
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    app = FastAPI(
        title="itbtwin", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.engine, app.state.settings, app.state.plot_pool = engine, settings, pool
    app.state.read_engine = read_engine(engine)
    app.state.trials = TrialQueue(engine)
    for module in (
        _routes_auth,
        _routes_account,
        _routes_clinic,
        _routes_patient,
        _routes_wizard,
        _routes_records,
        _routes_trials,
        _routes_cohort,
        _routes_booking,
        _routes_event,
        _routes_settings,
    ):
        app.include_router(module.router)
    _errors(app)
    app.add_middleware(FormLimits)  # inside the headers below: a 413 carries them too

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.update(HEADERS)
        if settings.secure_cookies:  # served over HTTPS (behind its TLS proxy): HTTPS only
            response.headers["Strict-Transport-Security"] = HSTS
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    static = HERE / "static"

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(_plotly_js(), media_type="text/javascript")

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str) -> FileResponse:
        path = static / name
        if name not in {p.name for p in static.iterdir()}:
            raise HTTPException(404, "no such file")
        return FileResponse(path)

    return app
