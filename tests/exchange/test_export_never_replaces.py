"""`itbtwin export` never replaces an existing file unless told to (issue 17): a slip of the
file name used to overwrite an earlier export (or any file) without a word."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("option", [[], ["--fhir"], ["--nonmem"]])
def test_issue_17_an_export_refuses_an_existing_file_without_force(
    cli, clinic_url, tmp_path, option
):
    earlier = tmp_path / "earlier.out"
    earlier.write_text("an earlier export\n")
    refused = cli("export", *option, str(earlier), "--database", clinic_url)
    assert refused.exit_code == 2
    assert "exists: give --force to replace it" in " ".join(refused.output.split())
    assert earlier.read_text() == "an earlier export\n"
    replaced = cli("export", *option, str(earlier), "--force", "--database", clinic_url)
    assert replaced.exit_code == 0, replaced.output
    assert earlier.read_text() != "an earlier export\n"
