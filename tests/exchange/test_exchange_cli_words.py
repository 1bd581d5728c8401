"""`itbtwin export` and `import` say what they moved in words: "audit entries 12", not
"audit_entries 12"; `--nonmem` says "1 patient", not "1 patients". `--json` keeps the keys."""

from __future__ import annotations

import json
import re


def test_export_and_import_count_records_in_words(cli, clinic_url, tmp_path):
    path, target = tmp_path / "clinic.json", f"sqlite:///{tmp_path / 'target.db'}"
    exported = cli("export", str(path), "--database", clinic_url)
    assert exported.exit_code == 0, exported.output
    said = " ".join(exported.stdout.split())
    assert re.search(r"audit entries \d+", said) and "patients 3" in said, said
    assert "_" not in said.split(" to ")[0], said
    assert cli("db", "upgrade", "--database", target).exit_code == 0
    imported = cli("import", str(path), "--database", target)
    said = " ".join(imported.stdout.split())
    assert said.startswith("imported patients 3,") and "audit entries" in said, said
    counts = json.loads(
        cli("export", str(path), "--force", "--database", clinic_url, "--json").stdout
    )
    assert "audit_entries" in counts["counts"]


def test_a_nonmem_export_of_one_patient_says_one_patient(cli, clinic_url, tmp_path):
    result = cli(
        "export", "--nonmem", str(tmp_path / "one.csv"), "--patient", "P001",
        "--database", clinic_url,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert " rows for 1 patient to " in " ".join(result.stdout.split()), result.stdout
