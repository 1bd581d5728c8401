"""A clinic-wide --as-of (report clinic, schedule) before a patient's birth or before every implant
(issue 17, h42 retry: `report clinic --as-of "1901-01-01 10:00"` said 'impossible age years
-79.3292 years'), and a report path or calendar length refused before the records are read (a
refused report once rewrote the clinic's cached pump dates)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from itbtwin import store
from itbtwin.errors import ItbError, RecordError
from records_cli.conftest import clinic, records  # noqa: F401


def _refusal(result) -> str:  # type: ignore[no-untyped-def]
    assert isinstance(result.exception, RecordError), (result.output, result.exception)
    return str(result.exception)


@pytest.mark.parametrize("command", ["report clinic --out r.html", "schedule"])
def test_issue_17_an_as_of_before_a_patients_birth_names_the_patient_and_the_dates(
    clinic,  # noqa: F811
    tmp_path,
    monkeypatch,
    command,
):
    monkeypatch.chdir(tmp_path)
    message = _refusal(clinic.invoke(command, "--as-of", "1901-01-01 10:00"))
    assert message == (
        "--as-of Tue 01 Jan 1901 10:00 is not after the birth of patient P001 "
        "(Thu 01 May 1980): give a later --as-of"
    )
    assert not (tmp_path / "r.html").exists()


def test_issue_17_an_as_of_before_every_implant_names_the_first_implant(clinic):  # noqa: F811
    message = _refusal(clinic.invoke("schedule", "--as-of", "2000-01-01 10:00"))
    assert message == (
        "--as-of Sat 01 Jan 2000 10:00 is before every implant of the clinic: the first, pump "
        "NGP001 of patient P001, was implanted on Mon 02 Nov 2026 10:00; give a later --as-of"
    )


def test_issue_17_an_as_of_after_the_implant_is_read(clinic, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    clinic.run("report clinic --out r.html --as-of", "2026-11-05 10:00")
    assert (tmp_path / "r.html").exists()


def _cached_dates(url: str) -> list[tuple]:
    engine = store.open_engine(url)
    try:
        with store.transaction(engine) as session:
            return [tuple(r) for r in session.execute(select(store.PumpDatesRow.__table__))]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "refused",
    [
        "report clinic --holiday 2026-12-25 --out {tmp}/missing/r.html",
        "report clinic --holiday 2026-12-25 --out {tmp}/r.txt",
        "report clinic --holiday 2026-12-25 --days 100000 --out {tmp}/r.html",
        "report patient P001 --out {tmp}/missing/r.html",
        "report patient P001 --out {tmp}/r.html --pdf {tmp}/missing/r.pdf",
    ],
    ids=["missing folder", "not .html", "calendar too long", "patient", "patient pdf"],
)
def test_issue_17_a_refused_report_place_reads_and_writes_nothing(clinic, tmp_path, refused):  # noqa: F811
    clinic.run("schedule")  # the pump's dates are cached as the records are read
    before = _cached_dates(clinic.url)
    result = clinic.invoke(refused.format(tmp=tmp_path))
    message = str(result.exception) if isinstance(result.exception, ItbError) else result.output
    assert result.exit_code == 2 or isinstance(result.exception, ItbError), result.output
    assert message.strip() and "\n" not in message.strip()
    assert _cached_dates(clinic.url) == before
    assert not list(tmp_path.glob("**/*.html"))


def test_issue_17_a_report_into_a_folder_it_cannot_write_reads_nothing(
    clinic,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """The folder's permission is asked of the system (`os.access`; root may write anywhere, so
    the test answers for it) before the records are read, not when the report is written."""
    clinic.run("schedule")
    before = _cached_dates(clinic.url)
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != locked and real(p, mode))
    result = clinic.invoke(f"report clinic --holiday 2026-12-25 --out {locked}/r.html")
    assert result.exit_code == 2
    assert result.output.strip().endswith("/locked/r.html': the folder is not writable")
    assert _cached_dates(clinic.url) == before
