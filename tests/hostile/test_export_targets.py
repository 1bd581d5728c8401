"""Issue 17, h36 sweep of `itbtwin export`: the JSON export and `--nonmem` (or `--fhir`) given
the same file wrote both, the second over the first ("exported … to e5.json", then "wrote 830
rows … to e5.json"); `--patient ""` exported every patient; `check-program --since ""` was read
as no --since."""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.errors import ItbError

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "missed_refill.toml")


@pytest.fixture
def url(cli, tmp_path) -> str:
    database = f"sqlite:///{tmp_path / 'clinic.db'}"
    assert cli("db", "upgrade", "--database", database).exit_code == 0
    return database


@pytest.mark.parametrize(
    "targets",
    [
        ("out.json", "--nonmem", "out.json"),
        ("out.json", "--fhir", "./out.json"),
        ("--nonmem", "out.csv", "--fhir", "sub/../out.csv"),
    ],
)
def test_issue_17_two_exports_into_one_file_are_refused(cli, url, tmp_path, monkeypatch, targets):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    result = cli("export", *targets, "--database", url)
    assert result.exit_code == 2, result.output
    assert "error: FILE, --fhir and --nonmem name the same file: give each its own" in (
        result.output
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clinic.db", "sub"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("out.json", "--patient", ""), "--patient applies to --nonmem and --fhir only"),
        (("--nonmem", "out.csv", "--patient", ""), "no patient ''"),
    ],
)
def test_issue_17_an_empty_patient_is_not_every_patient(
    cli, url, tmp_path, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    result = cli("export", *args, "--database", url)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "out.json").exists() and not (tmp_path / "out.csv").exists()


def test_issue_17_an_empty_since_is_refused_not_ignored(cli):
    result = cli("check-program", EXAMPLE, "--daily-dose", "300 mcg/day", "--since", "")
    assert isinstance(result.exception, ItbError), result.output
    assert "'' does not start with a number" in str(result.exception)
