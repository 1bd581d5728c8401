"""`itbtwin export` / `itbtwin import` end to end: a round trip through files, a JSON summary,
and bad files that end with one line, exit status 2 and an unchanged database (issue 6)."""

from __future__ import annotations

import json

import pytest

import itbtwin.cli._exchange as exchange_cli
from store_clinic import patient_count


def _one_error_line(result, words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and words in lines[0], lines
    assert "Traceback" not in result.output


def test_export_then_import_gives_the_same_clinic(cli, clinic_url, tmp_path):
    path, target = tmp_path / "clinic.json", f"sqlite:///{tmp_path / 'target.db'}"
    exported = cli("export", str(path), "--database", clinic_url, "--json")
    assert exported.exit_code == 0, exported.output
    summary = json.loads(exported.stdout)
    assert summary["format"] == "itbtwin-clinic" and summary["counts"]["patients"] == 3
    refused = cli("import", str(path), "--database", target)
    assert refused.exit_code == 2 and "no clinic database" in refused.output  # issue 17
    assert not (tmp_path / "target.db").exists()
    assert cli("db", "upgrade", "--database", target).exit_code == 0
    imported = cli("import", str(path), "--database", target, "--by", "dr-import", "--json")
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["added"] == summary["counts"]
    again = tmp_path / "again.json"
    assert cli("export", str(again), "--database", target).exit_code == 0
    original, copy = json.loads(path.read_text()), json.loads(again.read_text())
    *history, entry = copy["audit"]
    assert history == original["audit"] and copy["patients"] == original["patients"]
    assert (entry["actor"], entry["action"], entry["what"]["file"]) == (
        "dr-import", "clinic.import", str(path),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("patients: [P001]", "is not JSON (line 1, column 1"),
        ('{"patients": []}', "not an itbtwin clinic export (no 'format': 'itbtwin-clinic')"),
        ('{"format": "itbtwin-clinic", "version": 9}', "version 9 is not supported"),
    ],
)
def test_a_file_that_is_not_our_format_changes_nothing(cli, clinic_url, tmp_path, text, words):
    path = tmp_path / "bad.json"
    path.write_text(text)
    _one_error_line(cli("import", str(path), "--database", clinic_url), words)
    assert patient_count(clinic_url) == 3


def test_an_import_of_stored_patients_is_refused_and_changes_nothing(cli, clinic_url, tmp_path):
    path = tmp_path / "clinic.json"
    assert cli("export", str(path), "--database", clinic_url).exit_code == 0
    result = cli("import", str(path), "--database", clinic_url)
    _one_error_line(result, "patient 'P001' is already in this database")
    assert patient_count(clinic_url) == 3


def test_a_missing_file_is_one_line(cli, tmp_path):
    _one_error_line(cli("import", str(tmp_path / "nowhere.json")), "cannot read")


def test_nonmem_export_of_one_patient(cli, clinic_url, tmp_path):
    path = tmp_path / "p001.csv"
    args = ("--database", clinic_url, "--until", "2026-11-20 12:00", "--json")
    result = cli("export", "--nonmem", str(path), "--patient", "P001", *args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    # 10 records and the withdrawal signal once the reservoir runs dry (EVID 2, issue 14)
    assert (summary["rows"], summary["ids"]) == (11, {"P001": 1})
    lines = path.read_text().splitlines()
    assert lines[0].startswith("ID,TIME,EVID,AMT,RATE,CMT,DV,MDV")
    assert lines[5].startswith("1,25,1,2500,10.41666667,1,0,1,0,DOSE,")  # MDV 1 on a dose


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--nonmem", "x.csv", "--patient", "P404"), "no patient 'P404'"),
        (("x.json", "--patient", "P001"), "--patient applies to --nonmem and --fhir only"),
        (("x.json", "--until", "2026-11-01 10:00"), "--until applies to --nonmem only"),
        ((), "give a JSON file to write, --nonmem FILE.csv or --fhir FILE.json"),
        (("no-folder/x.json",), "'no-folder/x.json': the folder does not exist"),
    ],
)
def test_export_errors_are_one_line(cli, clinic_url, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    _one_error_line(cli("export", *args, "--database", clinic_url), words)


def test_a_large_clinic_shows_progress_and_still_round_trips(
    cli, clinic_url, tmp_path, monkeypatch
):
    monkeypatch.setattr(exchange_cli, "PROGRESS_FROM", 1)
    path, target = tmp_path / "clinic.json", f"sqlite:///{tmp_path / 'target.db'}"
    assert cli("export", str(path), "--database", clinic_url).exit_code == 0
    assert cli("db", "upgrade", "--database", target).exit_code == 0
    result = cli("import", str(path), "--database", target)
    assert result.exit_code == 0, result.output
    assert "imported patients 3" in result.stdout
    assert patient_count(target) == 3
