"""`itbtwin demo` end to end (issue 6, item 5): the two weeks and the risks printed, the report
written as one self-contained HTML file and a PDF, and a database it never takes from anyone."""

from __future__ import annotations

import re

import pytest

from itbtwin import store
from itbtwin.cli._demo import DEMO_FILE, fresh_database
from itbtwin.errors import RecordError

from .conftest import TODAY


def test_demo_prints_the_two_weeks_and_the_risks_and_writes_the_report(cli, tmp_path):
    result = cli("demo", "--size", "12", "--seed", "3", "--today", "2026-03-02",
                 "--out", str(tmp_path))  # fmt: skip
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Refills in the 14 days from Mon 02 Mar 2026 (holidays: Mon 09 Mar, Tue 10 Mar)" in text
    assert "a holiday; moved a day earlier (refill_moved_earlier" in text
    assert "Patients at risk of withdrawal" in text and "overdue:" in text
    planted = text.split("Planted trouble", 1)[1]  # cases in words: "ERI", not the key "eri"
    assert re.search(r"│ ERI\s+│", planted) and re.search(r"│ empty soon\s+│", planted), planted
    html = (tmp_path / "clinic-report.html").read_text(encoding="utf-8")
    assert "Refills in the next 14 days" in html and "Days to alarm" in html
    assert "data:image/png;base64," in html
    assert not re.search(r"""(src|href)=["']https?://""", html)  # self-contained
    assert (tmp_path / "clinic-report.pdf").read_bytes().startswith(b"%PDF")
    assert f"sqlite:///{tmp_path / DEMO_FILE}" in text.replace("\n", "")
    engine = store.open_engine(f"sqlite:///{tmp_path / DEMO_FILE}")
    with store.transaction(engine) as session:
        assert len(store.list_patients(session)) == 12
    engine.dispose()


def test_a_bad_today_is_one_line_error(cli, tmp_path):
    result = cli("demo", "--today", "02/03/2026", "--out", str(tmp_path))
    assert result.exit_code != 0
    assert "not a date YYYY-MM-DD" in str(result.exception) + result.output


def _demo_file(folder, seed: int = 1) -> str:
    url = f"sqlite:///{folder / DEMO_FILE}"
    engine = fresh_database(None, folder)
    with store.transaction(engine) as session:
        store.build_demo_clinic(session, seed=seed, today=TODAY, size=8)
    engine.dispose()
    return url


def test_the_demo_replaces_only_its_own_file(tmp_path):
    url = _demo_file(tmp_path)
    engine = fresh_database(None, tmp_path)  # its own demo file: wiped, empty again
    with store.transaction(engine) as session:
        assert store.list_patients(session) == []
    engine.dispose()
    assert url.endswith(DEMO_FILE)


def test_the_demo_refuses_a_file_with_other_records(tmp_path):
    _demo_file(tmp_path)
    engine = store.open_engine(f"sqlite:///{tmp_path / DEMO_FILE}")
    with store.transaction(engine) as session:
        store.add_patient(session, "nurse", identifier="P001", birth_date=TODAY.date(),
                          weight_kg=70.0, origin="spinal", today=TODAY.date())  # fmt: skip
    engine.dispose()
    with pytest.raises(RecordError, match="not the demo's"):
        fresh_database(None, tmp_path)
    assert (tmp_path / DEMO_FILE).exists()


def test_the_demo_refuses_a_named_database_with_patients_or_the_clinics_own(tmp_path):
    url = _demo_file(tmp_path / "other")
    with pytest.raises(RecordError, match="already holds patients"):
        fresh_database(url, tmp_path)
    with pytest.raises(RecordError, match="clinic's own database"):
        fresh_database(store.default_url(), tmp_path)
