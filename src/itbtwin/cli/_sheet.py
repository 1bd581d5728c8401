"""`itbtwin risk ... --sheet FILE`: the patient's education sheet as HTML or PDF.

For a recorded patient the clinic's name, phone and hours come from the clinic's settings
(`itbtwin clinic set`); `--clinic-phone` overrides the phone (and is the only source for a
scenario file). A ``.pdf`` file is the same page printed on A4 by the report's PDF engine.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from itbtwin import store
from itbtwin.cli._store_args import records
from itbtwin.cli._subjects import Subject
from itbtwin.errors import RegimenError
from itbtwin.files import writable, write_private

if TYPE_CHECKING:  # the sheet's rules load when a sheet is written (issue 13)
    from itbtwin.clinic import ClinicContact, PatientRisk, WindowOptions

SUFFIXES = (".html", ".htm", ".pdf")
"""What the sheet's file name may end in."""


def sheet_contact(subject: Subject, clinic_phone: str, database: str | None) -> ClinicContact:
    """Whom the patient calls: the stored settings for a recorded patient, the phone option
    over them (a scenario file has only the option)."""
    from itbtwin.clinic import ClinicContact

    contact = ClinicContact()
    if subject.recorded is not None:
        with records(database) as session:
            contact = store.clinic_contact(session)
    return replace(contact, phone=clinic_phone) if clinic_phone else contact


def write_sheet(
    path: Path,
    risk: PatientRisk,
    subject: Subject,
    *,
    options: WindowOptions,
    clinic_phone: str = "",
    large_print: bool = False,
    database: str | None = None,
) -> Path:
    """Write the education sheet of `risk` (the assessment of `subject`) to an HTML or PDF file."""
    from itbtwin.clinic import education_sheet

    if path.suffix.lower() not in SUFFIXES:
        raise RegimenError(f"the sheet {str(path)!r} must end in .html or .pdf")
    page = education_sheet(
        risk,
        subject.scenario.therapy,
        options=options,
        clinic=sheet_contact(subject, clinic_phone, database),
        large_print=large_print,
    )
    if path.suffix.lower() == ".pdf":
        from itbtwin.report import html_to_pdf  # the PDF engine loads only for a PDF

        return html_to_pdf(page, path)
    write_private(writable(path, "sheet"), page)  # the sheet names its patient
    return path
