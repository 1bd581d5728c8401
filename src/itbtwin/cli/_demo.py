"""`itbtwin demo`: the main job on the embedded defaults, for a newcomer's first run.

It records a demo clinic of virtual patients in a fresh database (`store.build_demo_clinic`),
plans the next two weeks' refills around two clinic holidays, ranks the patients at risk,
replays each patient's recent months in the twin and writes the clinic report (HTML and PDF).
The same `--seed` and `--today` print the same tables and store the same records.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress

from itbtwin import store
from itbtwin.cli._app import app, console, err_console
from itbtwin.cli._output import print_reasons, print_table
from itbtwin.cli._risk import days_of_drug
from itbtwin.cli._shown import shown
from itbtwin.cli._store_args import Database
from itbtwin.clinic import worst
from itbtwin.display import badge, in_words
from itbtwin.errors import ItbError, RecordError, ReportEngineMissing
from itbtwin.files import writable, write_private
from itbtwin.typed_dates import parse_date
from itbtwin.user_files import MAX_INTEGER

if TYPE_CHECKING:  # the records, the twin and the report load when the demo runs (issue 13)
    from sqlalchemy import Engine

    from itbtwin.clinic import ScheduleEntry

DAYS = 14
"""The clinic's look-ahead (d): the next two weeks [issue 6]."""
HISTORY_DAYS = 60
"""How far back the twin replays each patient (d), from the last fill before then."""
EARLIEST_TODAY = date(2000, 1, 1)
"""The earliest --today: virtual patients are up to 75 years old (`patient._variability`) with
pumps implanted up to 10 years back, and the records refuse a birth before 1900 and an implant
before 1988 (`store._bounds`)."""
LATEST_TODAY_DAYS = 3_652
"""--today at most 10 years after today: a later clinic day is a typing error."""
BLAS_THREADS = "1"
"""OpenBLAS threads of the demo's process, unless the user sets OPENBLAS_NUM_THREADS: the twin's
matrices have 9-44 states, where a second BLAS thread only waits on the first (one matrix
exponential of the twin: 0.1 ms of CPU on one thread, 0.5-2 ms on two of a shared 2-core machine;
recording the 500-patient clinic ~25% less CPU, issue 13 §4) [measured]."""
DEMO_FILE = "demo-clinic.db"
ACTOR = "demo"


def _clear_own_file(path: Path) -> None:
    """Delete a demo database this command made before; refuse any other file."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    if not path.exists():
        return
    engine = store.open_engine(f"sqlite:///{path}")
    try:
        with store.transaction(engine) as session:
            names = session.scalars(select(store.Patient.identifier)).all()
            actors = set(session.scalars(select(store.AuditEntry.actor)).all())
    except SQLAlchemyError:  # not a database of ours at all
        names, actors = ["?"], set()
    finally:
        engine.dispose()
    if not all(n.startswith("DEMO-") for n in names) or actors - {ACTOR}:
        raise RecordError(f"{path} holds records that are not the demo's: move it or use --out")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def fresh_database(database: str | None, out: Path) -> Engine:
    """An empty, current database: our own file in `out`, or an empty one the user names."""
    from sqlalchemy import select

    if database is None:
        _clear_own_file(out / DEMO_FILE)
        database = f"sqlite:///{out / DEMO_FILE}"
    elif database == store.default_url():
        raise RecordError("the demo never writes into the clinic's own database: give another URL")
    engine = store.open_engine(database)
    store.upgrade(engine)
    with store.transaction(engine) as session:
        if session.scalar(select(store.Patient.id).limit(1)) is not None:
            engine.dispose()
            raise RecordError(f"{database} already holds patients: the demo needs an empty one")
    return engine


@contextmanager
def _bar(label: str, total: int) -> Iterator[Any]:
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda done: progress.update(task, completed=done)


_CLOSED = {
    "a holiday": "holiday",
    "the clinic is closed that weekday": "weekend",
    "the patient is travelling": "travel",
}
TROUBLE_HINTS = {
    "holiday": "refill due over the holidays: window moved earlier",
    "catheter_fault": "occlusion event, 30% delivery shortfall at the last refill",
    "concentration_change": "last refill 2000 mcg/mL, reprogrammed with a bridge bolus",
    "empty_soon": "missed visit, reservoir nearly empty",
    "eri": "pump near its elective replacement indicator",
}
"""Where each planted trouble case shows (docs/demo.md)."""


def _day(d: date | datetime | None) -> str:
    return "-" if d is None else f"{d:%a %d %b}"


def _moved(entry: ScheduleEntry) -> str:
    why = [
        r.text.split(": ", 1)[1].split(";")[0]
        for r in entry.window.reasons
        if r.rule == "refill_moved_earlier"
    ]
    return ", ".join(dict.fromkeys(_CLOSED.get(w, w) for w in why)) or "-"


def _window(entry: ScheduleEntry) -> str:
    first, last = entry.window.earliest, entry.window.latest
    if first is None or last is None:
        return f"overdue: {entry.window.action}"
    return f"{first:%a %d}{'' if first.month == last.month else f' {first:%b}'} - {_day(last)}"


def _print_two_weeks(
    entries: list[ScheduleEntry], now: datetime, holidays: tuple[date, ...]
) -> None:
    rows = []
    for e in entries:
        low_h, empty_in = e.dates.low_reservoir_h, e.dates.ahead_h(e.dates.empty_h)
        low_in = e.dates.ahead_h(low_h)
        low = "sounding" if low_in is not None and low_in <= 0 else _day(e.dates.local(low_h))
        left = days_of_drug(None if empty_in is None else empty_in / 24, e.dates)
        rows.append([e.name, _window(e), low, left, _moved(e), badge(worst(list(e.slip.reasons)))])
    closed = ", ".join(_day(h) for h in holidays)
    print_table(
        f"Refills in the {DAYS} days from {now:%a %d %b %Y} (holidays: {closed})",
        ["patient", "refill window", "low alarm", "days of drug", "moved for", "a week late"],
        rows,
    )
    for e in entries:
        if "holiday" in _moved(e):
            console.print(f"[bold]{escape(e.name)}[/]: window moved earlier")
            print_reasons([r for r in e.window.reasons if "holiday" in r.text])


_FINDINGS = {
    "label_risk_factor": "boxed-warning risk factor",
    "days_of_drug_left": "days of drug left",
    "alarm_low_reservoir_now": "low-reservoir alarm now",
    "alarm_empty_now": "reservoir empty",
    "eri_soon": "ERI soon",
    "missed_visits": "missed visits",
}
"""Words for the risk rules (`clinic.risk_of`) in the findings column."""


def finding(rule: str) -> str:
    """A risk rule as the findings column reads it: "ERI soon", "occlusion" (for fault_occlusion),
    never the rule's key ("eri soon", "fault occlusion")."""
    return _FINDINGS.get(rule) or rule.removeprefix("fault_").replace("_", " ")


def _print_risks(overview: store.ClinicOverview) -> None:
    at_risk = overview.at_risk()
    print_table(
        f"Patients at risk of withdrawal ({len(at_risk)} of {len(overview.risks)})",
        ["rank", "patient", "verdict", "score", "days of drug", "findings"],
        [
            [
                n,
                r.name,
                badge(r.verdict),
                r.score,
                days_of_drug(r.days_left, r.dates),
                ", ".join(dict.fromkeys(finding(x.rule) for x in r.reasons)),
            ]
            for n, r in enumerate(at_risk, start=1)
        ],
    )
    beyond = [r for r in at_risk if any(x.rule != "label_risk_factor" for x in r.reasons)]
    for risk in beyond:
        console.print(f"[bold]{escape(risk.name)}[/] {badge(risk.verdict)}")
        print_reasons(list(risk.reasons))
    if len(at_risk) > len(beyond):
        console.print(f"{len(at_risk) - len(beyond)} more with a boxed-warning risk factor only")


def _replayed() -> tuple[Any, ...]:
    """Loader options: each pump's records and its patient's assessments, read in a few queries
    with the pumps rather than a few per pump (the replay and the summary read them all)."""
    from sqlalchemy.orm import joinedload, selectinload

    pump = store.Pump
    return (
        *(selectinload(r) for r in (pump.programs, pump.refills, pump.revisions, pump.events)),
        joinedload(pump.patient).selectinload(store.Patient.assessments),
    )


def _twin(pump: store.Pump, now: datetime, failed: list[str]) -> dict[str, Any]:
    """The twin's replay of the recent months: the MAS it ends on and hours of withdrawal."""
    from itbtwin.sim import run_twin

    try:
        since = now - timedelta(days=HISTORY_DAYS)
        scenario = store.history_scenario(pump, since=since, until=now, scores=True)
        outcome = run_twin(scenario)
    except ItbError as err:
        failed.append(f"{pump.patient.identifier}: {err}")
        return {"twin MAS now": "-", "twin withdrawal (h)": "not run"}
    return {
        "twin MAS now": str(outcome.series["mas_grade"][-1])
        if "mas_grade" in outcome.series
        else "-",  # no baseline assessment before the implant: no MAS predicted
        "twin withdrawal (h)": outcome.summary["withdrawal_h"],
    }


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the virtual clinic.")] = 7,
    today: Annotated[
        str | None, typer.Option(help="The clinic's today, YYYY-MM-DD (default: today).")
    ] = None,
    database: Database = None,
    out: Annotated[Path, typer.Option(help="Folder for the report and the database.")] = Path(
        "out/demo"
    ),
    size: Annotated[int, typer.Option(help="Number of virtual patients.")] = 50,
) -> None:
    """Build a demo clinic, plan its next two weeks, rank the risks and write the clinic report."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", BLAS_THREADS)  # before NumPy and SciPy load
    from itbtwin.store._demo_clinic import check_size
    from itbtwin.validation import run_validation

    check_size(size)  # every bound before anything is made (issue 17)
    if not 0 <= seed <= MAX_INTEGER:  # 10^30 was NumPy's traceback (issue 17)
        raise RecordError(
            f"--seed must be 0 or more and at most 2^63 - 1 (a random generator's seed), not {seed}"
        )
    day = parse_date(today, "--today", RecordError) if today else date.today()
    latest = date.today() + timedelta(days=LATEST_TODAY_DAYS)
    if not EARLIEST_TODAY <= day <= latest:
        raise RecordError(
            f"--today {day} is outside {EARLIEST_TODAY} to {latest}: the demo's patients (up to "
            "75 years old, implanted up to 10 years back) must be born after 1900 and implanted "
            "after 1988, and a clinic's today more than 10 years ahead is a typing error"
        )
    now = datetime.combine(day, time(8))
    if out.exists() and not out.is_dir():
        raise RecordError(f"--out {str(out)!r} is a file: give a folder for the demo's files")
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)  # reports name patients (issue 17)
    except OSError as err:
        raise RecordError(f"cannot make the folder --out {str(out)!r}: {err.strerror}") from None
    writable(out / "clinic-report.html", "clinic report")
    engine = fresh_database(database, out)
    try:
        checks = run_validation()
        passed = sum(c.passed for c in checks)
        console.print(f"validation: {passed} of {len(checks)} published facts reproduced")
        _run(engine, seed=seed, now=now, size=size, out=out)
    finally:
        engine.dispose()
    if passed < len(checks):
        raise typer.Exit(1)


def _run(engine: Engine, *, seed: int, now: datetime, size: int, out: Path) -> None:
    from itbtwin.clinic import WindowOptions
    from itbtwin.report import clinic_report, html_to_pdf, render_html

    with store.transaction(engine) as session, _bar("recording the clinic", size) as tick:
        clinic = store.build_demo_clinic(
            session, seed=seed, today=now, size=size, actor=ACTOR, on_progress=tick
        )
    console.print(
        f"demo clinic: {clinic.patients} patients, {clinic.refills} refills, "
        f"{clinic.programs} program versions, {clinic.assessments} assessments (seed {seed})"
    )
    cases = {who: case for case, who in clinic.trouble.items()}
    with store.transaction(engine) as session:
        with console.status("planning refills and ranking risks"):
            options = WindowOptions(holidays=clinic.holidays)
            overview = store.clinic_overview(session, now=now, options=options)
        _print_two_weeks(overview.due_within(DAYS), now, clinic.holidays)
        _print_risks(overview)
        entries = {e.name: e for e in overview.entries}
        pumps = store.implanted_pumps(session, *_replayed())
        rows: list[dict[str, Any]] = []
        failed: list[str] = []
        with _bar("replaying each patient's recent months in the twin", len(pumps)) as tick:
            for done, pump in enumerate(pumps, start=1):
                name = pump.patient.identifier
                row = store.patient_summary(pump.patient, now, entries[name])
                rows.append(row | _twin(pump, now, failed) | {"trouble": cases.get(name, "")})
                tick(done)
    console.print(f"twin: {len(rows) - len(failed)} of {len(rows)} patients replayed")
    if failed:
        console.print(f"  not run for {len(failed)}, e.g. {failed[0]}", highlight=False)
    print_table(
        "Planted trouble",
        ["case", "patient", "where it shows"],
        [[in_words(c), who, TROUBLE_HINTS[c]] for c, who in clinic.trouble.items()],
    )
    doc = clinic_report(
        f"demo clinic (seed {seed})",
        overview.entries,
        overview.risks,
        sorted(rows, key=lambda r: r["identifier"]),
        now.date(),
        options=options,
    )
    page = render_html(doc)  # once: the PDF prints the same page (its figure drawn once)
    html = writable(out / "clinic-report.html", "report")
    write_private(html, page)
    try:
        with console.status(f"laying out the PDF report ({len(rows)} patients)"):
            pdf = f" and {html_to_pdf(page, out / 'clinic-report.pdf')}"
    except ReportEngineMissing as err:  # the HTML report stands on its own
        pdf = ""
        err_console.print(f"[bold yellow]warning:[/] {err}", highlight=False, soft_wrap=True)
    url = engine.url.render_as_string(hide_password=True)
    console.print(f"report: {shown(html)}{shown(pdf)}", highlight=False)
    console.print(f"records: {shown(url)}", highlight=False)
    console.print(f"  try: itbtwin patient list --database {shown(url)}", highlight=False)
    console.print(
        "workspace: `itbtwin serve --demo` (or `make serve`) opens the web workspace in a browser "
        "on a demo clinic like this one, with one account per role printed once"
    )
