"""`itbtwin report patient` of a patient with no pump now (explanted, or never implanted) is the
report of their records, saying there is no pump (known problem 3 of the hand-computed cases:
it was refused with "has no implanted pump")."""

from __future__ import annotations

from datetime import datetime

import pytest

from itbtwin import store
from itbtwin.cli._report_records import patient_document
from itbtwin.report import Paragraph, Table

EXPLANT = 'pump explant NGP001 --at "2026-11-25 10:00" --reason "pocket infection"'


def _document(records, identifier: str, as_of: str):
    engine = store.open_engine(records.url)
    try:
        with store.transaction(engine) as session:
            return patient_document(
                session, identifier, datetime.fromisoformat(as_of), back_days=60, ahead_days=14
            )
    finally:
        engine.dispose()


def _texts(doc, title: str) -> list[str]:
    section = next(s for s in doc.sections if s.title == title)
    return [b.text for b in section.blocks if isinstance(b, Paragraph)]


def _table(doc, title: str) -> Table:
    section = next(s for s in doc.sections if s.title == title)
    return next(b for b in section.blocks if isinstance(b, Table))


@pytest.fixture
def explanted(clinic):
    clinic.run('assess P001 --mas "hip adductors L=2" --penn-frequency 2 --at "2026-11-20 10:00"')
    clinic.run(EXPLANT)
    return clinic


def test_an_explanted_patients_report_holds_their_records_and_says_there_is_no_pump(
    explanted, tmp_path
):
    out = tmp_path / "P001.html"
    written = explanted.data(f'report patient P001 --out "{out}" --as-of "2026-12-01 09:00"')
    assert written["html"] == str(out.resolve())
    page = out.read_text()
    assert "No pump is implanted on Tue 01 Dec 2026 09:00: pump NGP001, SynchroMed II 20 mL" in page
    assert "was explanted on Wed 25 Nov 2026 10:00." in page
    doc = _document(explanted, "P001", "2026-12-01 09:00")
    assert [s.title for s in doc.sections][:3] == ["Patient", "Pump", "Pumps"]
    pumps = _table(doc, "Pumps")
    assert pumps.rows[0][pumps.header.index("device")] == "SynchroMed II 20 mL (8637-20)"
    assert len(_table(doc, "Assessments").rows) == 1
    assert len(_table(doc, "Refills").rows) == 1  # the implant's fill
    assert not any(s.title == "Figures" for s in doc.sections)  # no twin to replay


def test_before_the_explant_the_report_still_replays_the_pump(explanted):
    doc = _document(explanted, "P001", "2026-11-20 12:00")
    assert any(s.title == "Figures" for s in doc.sections)
    assert not any(s.title == "Pumps" for s in doc.sections)


def test_a_patient_never_implanted_gets_a_records_report(records, tmp_path):
    records.run('patient add P002 --birth-date 1990-01-01 --weight "60 kg" --origin cerebral')
    records.run('assess P002 --mas "elbow flexors R=2" --at "2026-11-20 10:00"')
    doc = _document(records, "P002", "2026-12-01 09:00")
    assert _texts(doc, "Pump") == [
        "No pump has been implanted (as of Tue 01 Dec 2026 09:00): there is no pump to replay."
    ]
    assert len(_table(doc, "Assessments").rows) == 1
    assert _texts(doc, "Refills") == ["No refills recorded."]
    out = tmp_path / "P002.html"
    records.run(f'report patient P002 --out "{out}"')
    assert "No pump has been implanted" in out.read_text()
