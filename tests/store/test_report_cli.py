"""`itbtwin report patient|clinic` from stored records: self-contained HTML and a PDF."""

from __future__ import annotations

import json
import re

import pytest

from itbtwin import store
from itbtwin.errors import RecordError
from store_clinic import NOW, one_patient


@pytest.fixture
def clinic(engine, database_url):
    store.upgrade(engine)
    one_patient(engine, "P001", "NGP001")
    one_patient(engine, "P002", "NGP002")
    return database_url


def test_patient_report_has_the_twin_and_the_records(cli, clinic, tmp_path):
    html, pdf = tmp_path / "p1.html", tmp_path / "p1.pdf"
    args = ["report", "patient", "P001", "--as-of", "2026-09-20 12:00", "--since", "30 day"]
    result = cli(*args, "--out", str(html), "--pdf", str(pdf), "--database", clinic, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["html"] == str(html.resolve())
    page = html.read_text()
    assert "Patient report: P001 (as of Sun 20 Sep 2026 12:00)" in page
    for section in ("Programs", "Refills", "Assessments", "Alarms and events", "Audit trail"):
        assert f">{section}<" in page
    assert "Pump implanted" in page and "Lioresal" in page
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', page)) >= 4
    assert not re.search(r'(src|href)="https?://', page)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_clinic_report_lists_the_pumps_due(cli, clinic, tmp_path):
    html = tmp_path / "clinic.html"
    # Both pumps were filled with 20 mL at 0.5 mL/day on 1 Sep: the low-reservoir alarm comes
    # in early October, so on 20 Sep both windows open within 14 days.
    result = cli(
        "report", "clinic", "--as-of", "2026-09-20 12:00", "--out", str(html),
        "--database", clinic,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = html.read_text()
    assert "Refills in the next 14 days" in page
    assert page.count("P001") >= 2 and page.count("P002") >= 2
    assert "No refill falls due" not in page


def test_report_of_an_unknown_patient_is_one_line(cli, clinic, tmp_path):
    result = cli("report", "patient", "P404", "--database", clinic, "--as-of", str(NOW)[:16])
    assert isinstance(result.exception, RecordError)
    assert "no patient 'P404'" in str(result.exception)
    assert not list(tmp_path.glob("*.html"))
