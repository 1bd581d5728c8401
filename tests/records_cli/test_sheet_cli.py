"""`itbtwin risk PATIENT --sheet FILE` for a recorded patient (issue 12 point 2, issue 16 point 3):
the sheet names the patient, pump, medicine and dose from the records, the dates of the pump's
arithmetic, and the clinic's phone and hours from `itbtwin clinic set`.

Hand check: NGP001 was implanted Mon 02 Nov 2026 10:00 with 20 mL of 500 mcg/mL at 250 mcg/day
(0.5 mL/day): the 2 mL low-reservoir alarm comes 36 days later (Tue 08 Dec 2026), the reservoir
is empty after 40 days (Sat 12 Dec 2026), and the 7-day margin puts the last refill day on
Tue 01 Dec 2026.
"""

from __future__ import annotations

import re
import shutil
import subprocess

AS_OF = ("--as-of", "2026-11-12 10:00")


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_a_recorded_patients_sheet_uses_the_records_and_the_clinic_settings(clinic, tmp_path):
    clinic.run('clinic set --name "ITB clinic" --phone "+44 20 7946 0000" --hours "Mon-Fri 8-5"')
    sheet = tmp_path / "P001.html"
    clinic.run("risk P001 --sheet", str(sheet), *AS_OF)
    text = _text(sheet.read_text(encoding="utf-8"))
    assert "Name P001 Pump SynchroMed II 20 mL (8637-20)" in text
    assert "Medicine Lioresal 500 mcg/mL Daily dose 250 mcg a day" in text
    assert "Next refill: by Tue 01 Dec 2026" in text
    assert "The low-reservoir alarm will start on Tue 08 Dec 2026." in text
    assert "The pump will be empty on Sat 12 Dec 2026." in text
    assert "Clinic ITB clinic Phone +44 20 7946 0000 Open Mon-Fri 8-5" in text


def test_the_phone_option_overrides_the_stored_phone_and_pdf_sheets_are_a4(clinic, tmp_path):
    clinic.run('clinic set --phone "0100"')
    html, pdf = tmp_path / "s.html", tmp_path / "s.pdf"
    clinic.run("risk P001 --clinic-phone 0999 --large-print --sheet", str(html), *AS_OF)
    page = html.read_text(encoding="utf-8")
    assert "Phone 0999" in _text(page) and "0100" not in page and "font-size:18pt" in page
    clinic.run("risk P001 --sheet", str(pdf), *AS_OF)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):  # poppler-utils (.ci/run installs it)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"Pages:\s+1\n", info) and "(A4)" in info


def test_a_sheet_with_another_suffix_is_refused_and_not_written(clinic, tmp_path):
    result = clinic.invoke("risk P001 --sheet", str(tmp_path / "s.txt"), *AS_OF)
    assert "must end in .html or .pdf" in str(result.exception)
    assert not (tmp_path / "s.txt").exists()


def test_reports_name_the_clinic_and_its_phone_from_the_settings(clinic, tmp_path):
    clinic.run('clinic set --name "North ITB clinic" --phone "0100 200" --hours "Mon-Fri 8-5"')
    patient, ward = tmp_path / "p.html", tmp_path / "c.html"
    clinic.run("report patient P001 --out", str(patient), *AS_OF)
    clinic.run("report clinic --out", str(ward), *AS_OF)
    line = "North ITB clinic, phone 0100 200, Mon-Fri 8-5"
    assert f"<th>clinic</th><td>{line}</td>" in patient.read_text(encoding="utf-8")
    page = ward.read_text(encoding="utf-8")
    assert "<h1>Clinic report: North ITB clinic</h1>" in page and line in page
