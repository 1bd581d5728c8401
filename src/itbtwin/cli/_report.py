"""`itbtwin report ...`: one self-contained HTML file (and a PDF) per scenario, patient or clinic.

`report_app` is the sub-app; `write_report` is what every report command ends with: it checks
the output paths, writes the HTML (and PDF), and prints where they are (or JSON with ``--json``).
`report patient` and `report clinic` (records store) register on the same sub-app.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from itbtwin.cli._app import EXIT_INPUT_ERROR, app, err_console
from itbtwin.cli._file_path import file_path
from itbtwin.cli._output import print_json
from itbtwin.cli._shown import print_written, shown
from itbtwin.errors import ItbError, ReportEngineMissing

if TYPE_CHECKING:  # the twin, the figures and the PDF engine load when a report is written
    from itbtwin.report import Document

report_app = typer.Typer(
    help="Reports: one self-contained HTML file (and PDF) with plots, tables and sources.",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")

Out = Annotated[
    Path | None,
    typer.Option(
        "--out", parser=file_path, help="HTML file to write (default: NAME-report.html here)."
    ),
]
Pdf = Annotated[
    Path | None,
    typer.Option("--pdf", parser=file_path, help="Also write a PDF to this file."),
]
Json = Annotated[bool, typer.Option("--json", help="Print the written paths as JSON.")]


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit with the input-error status (2)."""
    err_console.print(f"[bold red]error:[/] {shown(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT_ERROR)


def _check_target(path: Path, suffixes: tuple[str, ...], what: str) -> Path:
    if path.suffix.lower() not in suffixes:
        fail(f"the {what} file {str(path)!r} must end in {' or '.join(suffixes)}")
    if len(os.fsencode(path.name)) > 255:  # longer than a file system holds (stat would fail)
        fail(f"the {what} file name {path.name[:40] + '…'!r} is longer than 255 bytes")
    if path.is_dir():
        fail(f"the {what} file {str(path)!r} is a folder")
    if not path.parent.is_dir():
        fail(f"cannot write the {what} file: no folder {str(path.parent)!r}")
    if not os.access(path.parent, os.W_OK | os.X_OK):  # checked before the work, not after it
        fail(f"cannot write the {what} file {str(path)!r}: the folder is not writable")
    return path


def check_targets(html: Path, pdf: Path | None) -> None:
    """Refuse a report's HTML (and PDF) path in one line: a command checks them before its work,
    so a refused path reads and writes nothing (not even the dates the records cache)."""
    _check_target(html, (".html", ".htm"), "HTML")
    if pdf is not None:
        _check_target(pdf, (".pdf",), "PDF")


def write_report(
    doc: Document, html: Path, pdf: Path | None = None, *, as_json: bool = False
) -> dict[str, str | None]:
    """Write `doc` as HTML (and PDF), then print the paths (a JSON object with ``as_json``).

    Bad paths (wrong suffix, missing folder, not writable) end the command with one line on
    stderr and exit status 2. A PDF engine that cannot load is one line on stderr; the HTML is
    still written (``pdf_error`` in the JSON). Returns {"html": path, "pdf": path or None}.
    """
    from itbtwin.report import write_html, write_pdf

    check_targets(html, pdf)
    missing: str | None = None
    try:
        written: dict[str, str | None] = {"html": str(write_html(doc, html).resolve()), "pdf": None}
        if pdf is not None:
            try:
                written["pdf"] = str(write_pdf(doc, pdf).resolve())
            except ReportEngineMissing as err:
                missing = str(err)
    except OSError as err:
        fail(f"cannot write the report: {err.strerror or err} ({err.filename or html})")
    if missing:
        err_console.print(f"[bold yellow]warning:[/] {missing}", highlight=False, soft_wrap=True)
    if as_json:
        print_json({"title": doc.title, **written, **({"pdf_error": missing} if missing else {})})
    else:
        print_written("report", written["html"])
        if written["pdf"]:
            print_written("PDF", written["pdf"])
    return written


@report_app.command("scenario")
def report_scenario(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file (see docs/pump.md).")],
    out: Out = None,
    pdf: Pdf = None,
    json: Json = False,
) -> None:
    """Simulate a scenario and write its report: figures, events, findings and sources."""
    from itbtwin.report import scenario_report
    from itbtwin.sim import load_scenario, run_twin

    html = out or Path(f"{scenario.stem}-report.html")
    _check_target(html, (".html", ".htm"), "HTML")
    try:
        loaded = load_scenario(scenario)
        doc = scenario_report(loaded, run_twin(loaded))
    except ItbError as err:
        fail(str(err))
    write_report(doc, html, pdf, as_json=json)
