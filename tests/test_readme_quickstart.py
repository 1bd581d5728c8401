"""Issue 12, point 10: the README's quickstart for each person runs as written, on any day, and
does what it says (records the refill, checks and stores the change, writes NONMEM rows, runs the
trial)."""

from __future__ import annotations

import csv
import json
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PEOPLE = ("Nurse", "Physician", "Pharmacometrician", "Researcher")


def _quickstart() -> dict[str, list[list[str]]]:
    """Each person's command lines (shell words), from the README's sh blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    lines: dict[str, list[list[str]]] = {}
    for part in section.split("\n### ")[1:]:
        person = part.split(":", 1)[0].strip()
        for block in re.findall(r"```sh\n(.*?)```", part, re.DOTALL):
            for line in block.replace("\\\n", " ").splitlines():
                words = shlex.split(line, comments=True)
                if words:
                    lines.setdefault(person, []).append(words)
    return lines


def test_the_quickstart_has_one_task_for_each_person():
    assert tuple(_quickstart()) == PEOPLE


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty folder beside the shipped examples, as a user's working folder."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ITBTWIN_DATABASE_URL", raising=False)
    return tmp_path


def _run(cli, monkeypatch, words: list[str]):
    if words[0] == "export":
        name, _, value = words[1].partition("=")
        monkeypatch.setenv(name, value)
        return None
    assert words[0] == "itbtwin", f"the quickstart runs only itbtwin: {words}"
    result = cli(*words[1:])
    assert result.exit_code == 0, (words, result.output, result.exception)
    return result


def test_issue_12_every_quickstart_runs_in_order_and_does_what_it_says(cli, folder, monkeypatch):
    steps = _quickstart()
    for words in steps["Nurse"]:
        _run(cli, monkeypatch, words)
    pump = json.loads(cli("pump", "show", "NGP001", "--json").stdout)
    assert [r["injected_ml"] for r in pump["refills"]][-1] == 20.0
    assert len(pump["refills"]) == 2  # the implant's fill and today's refill

    for words in steps["Physician"]:
        _run(cli, monkeypatch, words)
    pump = json.loads(cli("pump", "show", "NGP001", "--json").stdout)
    assert [p["mean_daily_dose_mcg"] for p in pump["programs"]] == [250.0, 300.0]

    for words in steps["Pharmacometrician"]:
        _run(cli, monkeypatch, words)
    rows = list(csv.DictReader((folder / "history.csv").read_text().splitlines()))
    doses = [r for r in rows if r["EVID"] == "1"]
    scores = [r for r in rows if r["EVID"] == "0"]
    assert doses and all(r["MDV"] == "1" for r in doses)
    assert [(r["TYPE"], r["DV"], r["MDV"]) for r in scores] == [
        ("MAS", "3", "0"),  # MAS "2" is code 3 (0, 1, 1+, 2, 3, 4)
        ("PENN_FREQ", "2", "0"),
        ("PENN_SEV", "1", "0"),
    ]

    for words in steps["Researcher"]:
        _run(cli, monkeypatch, words)
    assert "data:image/png" in (folder / "trial.html").read_text(encoding="utf-8")


def _records_block() -> list[list[str]]:
    """The command lines of the README's clinic-records section (its first sh block)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("— clinic records", 1)[1].split("\n### ", 1)[0]
    block = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)[0]
    lines = [shlex.split(line, comments=True) for line in block.replace("\\\n", " ").splitlines()]
    return [words for words in lines if words]


def test_the_readme_records_session_runs_in_order_on_any_day(cli, folder, monkeypatch):
    """Every line of the records section works as written on a fresh clinic, whatever today is
    (the program change and the assessment give --at, so the pump still holds drug then and the
    corrections below find them)."""
    monkeypatch.setenv("ITBTWIN_DATABASE_URL", f"sqlite:///{folder / 'clinic.db'}")
    for words in _records_block():
        _run(cli, monkeypatch, words)
    shown = json.loads(cli("patient", "show", "P001", "--json").stdout)
    assert shown["discharged_at"] is not None
    corrected = [c["entry"].replace("_", " ") for c in shown["corrections"]]
    assert corrected[-3:] == ["refill", "assessment", "program version"]


def test_the_readme_commands_on_a_recorded_pump_work_after_the_nurses_quickstart(
    cli, folder, monkeypatch
):
    """The check-program, refill and risk examples that name a recorded pump name the
    quickstart's (NGP001 of P001, implanted 2 Nov 2026), at a time it was implanted."""
    for words in _quickstart()["Nurse"]:
        _run(cli, monkeypatch, words)
    commands = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Commands", 1)[1]
    recorded = [
        words
        for block in re.findall(
            r"```sh\n(.*?)```", commands.split("— clinic records")[0], re.DOTALL
        )
        for line in block.replace("\\\n", " ").splitlines()
        if (words := shlex.split(line, comments=True))
        and words[1] in ("check-program", "refill", "risk")
        and {"NGP001", "P001"} & set(words)
    ]
    assert len(recorded) >= 5, recorded
    for words in recorded:
        _run(cli, monkeypatch, words)
