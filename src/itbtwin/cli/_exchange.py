"""`itbtwin export` / `itbtwin import`: the whole clinic as JSON, a NONMEM-style CSV of histories.

A file that cannot be read, is not JSON, is not an ``itbtwin-clinic`` export of a version this
itbtwin reads, or holds a patient or pump already recorded ends the command with one line on
stderr and exit status 2; the import runs in one transaction, so nothing is changed then.
"""

from __future__ import annotations

import json as jsonlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from itbtwin import store
from itbtwin.cli._app import EXIT_INPUT_ERROR, app, console, err_console
from itbtwin.cli._file_path import file_path
from itbtwin.cli._output import print_json
from itbtwin.cli._shown import shown
from itbtwin.cli._store_args import By, Database, Json, actor, records, when
from itbtwin.display import format_datetime
from itbtwin.errors import ItbError, RecordError
from itbtwin.files import open_private
from itbtwin.user_files import JSON_LIMIT_BYTES, parse_json, read_text

PROGRESS_FROM = 50
"""Show a progress bar from this many patients on (a second or more of work)."""

JsonFile = Annotated[
    Path | None, typer.Argument(parser=file_path, help="The clinic as one JSON file.")
]
Nonmem = Annotated[
    Path | None,
    typer.Option(
        "--nonmem", parser=file_path, help="Write a NONMEM-style CSV of doses and scores."
    ),
]
Fhir = Annotated[
    Path | None,
    typer.Option(
        "--fhir",
        parser=file_path,
        help="A FHIR R4 transaction Bundle (JSON) of the clinic's records.",
    ),
]
PatientId = Annotated[
    str | None, typer.Option("--patient", help="Only this patient (with --nonmem or --fhir).")
]
Until = Annotated[
    str | None,
    typer.Option(
        "--until",
        help='History up to "YYYY-MM-DD HH:MM" (default: now; --nonmem); in the hour repeated '
        'when the clocks go back, with its UTC offset: "2026-11-01 01:30-04:00".',
    ),
]


def _fail(message: str) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {shown(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT_ERROR)


@contextmanager
def _progress(total: int, what: str, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for `total` patients, when there are enough to wait for."""
    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    hide = quiet or total < PROGRESS_FROM
    with Progress(*columns, console=err_console, disable=hide, transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda n: bar.advance(task, n)


def _write(path: Path, write: Callable[[Any], None]) -> None:
    """Write an export: it names patients, so a new file is readable by its owner only."""
    with open_private(path) as out:
        write(out)


def read_json(path: Path) -> Any:
    """The JSON document in a file; an unreadable or non-JSON file is a one-line `RecordError`."""
    text = read_text(path, "import file", RecordError, JSON_LIMIT_BYTES)
    return parse_json(text, f"the import file {str(path)!r}", RecordError)


def _export_nonmem(
    path: Path, patient: str | None, until: str | None, database: str | None, json: bool
) -> dict[str, Any]:
    from itbtwin.store._as_of import clinic_wall_time
    from itbtwin.store._nonmem import clinic_nonmem_rows, write_nonmem

    end = when(until, "--until", offset=True)
    with records(database) as session:
        patients = (
            [store.find_patient(session, patient)]
            if patient is not None  # --patient "" exported every patient (issue 17)
            else store.list_patients(session)
        )
        if until is not None:  # one end for every pump exported, in each one's zone (issue 17)
            zones = Counter(pump.time_zone for p in patients for pump in p.pumps)
            end = clinic_wall_time(end, zones, "--until")
        with _progress(len(patients), "NONMEM rows", json) as advance:
            rows = clinic_nonmem_rows(patients, until=end, progress=advance)
        ids = {p.identifier: n for n, p in enumerate(patients, start=1)}
    _write(path, lambda out: write_nonmem(rows, out))
    return {"nonmem": str(path), "rows": len(rows), "until": end.isoformat(), "ids": ids}


def _export_json(path: Path, database: str | None, json: bool) -> dict[str, Any]:
    from sqlalchemy import func, select

    with records(database) as session:
        total = session.scalar(select(func.count(store.Patient.id))) or 0
        with _progress(total, "exporting", json) as advance:
            document = store.export_clinic(session, progress=advance)
    text = jsonlib.dumps(document, indent=1, ensure_ascii=False, allow_nan=False)
    _write(path, lambda out: out.write(text + "\n"))
    return {
        "file": str(path),
        "format": document["format"],
        "version": document["version"],
        "counts": store.clinic_counts(document),
    }


def _export_fhir(path: Path, patient: str | None, database: str | None, json: bool) -> dict:
    from sqlalchemy import func, select

    with records(database) as session:
        total = session.scalar(select(func.count(store.Patient.id))) or 0
        with _progress(total, "FHIR", json) as advance:
            bundle = store.export_fhir(session, patient=patient, progress=advance)
    text = jsonlib.dumps(bundle, indent=1, ensure_ascii=False, allow_nan=False)
    _write(path, lambda out: out.write(text + "\n"))
    return {"fhir": str(path), "resources": len(bundle["entry"])}


@app.command("export")
def export(
    file: JsonFile = None,
    nonmem: Nonmem = None,
    fhir: Fhir = None,
    patient: PatientId = None,
    until: Until = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    database: Database = None,
    json: Json = False,
) -> None:
    """Write the whole clinic as JSON (FILE), a NONMEM-style CSV (--nonmem) or FHIR R4 (--fhir)."""
    try:
        if file is None and nonmem is None and fhir is None:
            raise RecordError("give a JSON file to write, --nonmem FILE.csv or --fhir FILE.json")
        given = [path for path in (file, fhir, nonmem) if path is not None]
        if len({path.resolve() for path in given}) < len(given):  # the second replaced the first
            raise RecordError("FILE, --fhir and --nonmem name the same file: give each its own")
        for path in given:
            if path.exists() and not force:
                # an earlier export (or any file) is never replaced by a typing slip (issue 17)
                raise RecordError(f"{str(path)!r} exists: give --force to replace it")
        if until is not None and nonmem is None:
            raise RecordError("--until applies to --nonmem only")
        if patient is not None and nonmem is None and fhir is None:
            raise RecordError("--patient applies to --nonmem and --fhir only")
        payload: dict[str, Any] = {}
        if file is not None:
            payload |= _export_json(file, database, json)
        if fhir is not None:
            payload |= _export_fhir(fhir, patient, database, json)
        if nonmem is not None:
            payload |= _export_nonmem(nonmem, patient, until, database, json)
    except ItbError as err:
        _fail(str(err))
    if json:
        print_json(payload)
        return
    if "counts" in payload:
        console.print(
            f"exported {_counted(payload['counts'])} to {shown(payload['file'])}",
            highlight=False,
            soft_wrap=True,
        )
    if "fhir" in payload:
        console.print(
            f"wrote a FHIR R4 Bundle of {payload['resources']} resources to "
            f"{shown(payload['fhir'])}",
            highlight=False,
            soft_wrap=True,
        )
    if "nonmem" in payload:
        console.print(
            f"wrote {payload['rows']} rows for {len(payload['ids'])} "
            f"patient{'' if len(payload['ids']) == 1 else 's'} to "
            f"{shown(payload['nonmem'])} (history to {format_datetime(payload['until'])})",
            highlight=False,
            soft_wrap=True,
        )


def _counted(counts: dict[str, int]) -> str:
    """Record counts in words: "patients 1, ..., audit entries 6" (`--json` keeps the keys)."""
    return ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in counts.items())


@app.command("import")
def import_(
    file: JsonFile = None,
    fhir: Fhir = None,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Add an exported clinic (JSON) to the database: all of it, or nothing on any problem."""
    try:
        if (file is None) == (fhir is None):
            raise RecordError("give one file: an itbtwin JSON export, or --fhir BUNDLE.json")
        if fhir is not None:
            file = fhir
            with records(database) as session:
                counts = store.import_fhir(session, read_json(fhir), actor(by), file=str(fhir))
        else:
            document = read_json(file)
            patients = document.get("patients") if isinstance(document, dict) else None
            total = len(patients) if isinstance(patients, list) else 0
            with records(database) as session, _progress(total, "importing", json) as advance:
                counts = store.import_clinic(
                    session, document, actor(by), file=str(file), progress=advance
                )
    except ItbError as err:
        _fail(str(err))
    if json:
        print_json({"file": str(file), "added": counts})
        return
    console.print(
        f"imported {_counted(counts)} from {shown(file)}", highlight=False, soft_wrap=True
    )
