"""A newcomer's walk-through (docs/exchange.md after the README quickstart): a clinic whose fills
name no product goes through FHIR and back. The writer leaves an empty product out (FHIR has no
empty strings) and the reader refused the Bundle for the missing extension."""

from __future__ import annotations

import json
from pathlib import Path


def _ok(cli, *args: str):  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def test_a_refill_without_a_product_goes_through_fhir_and_back(cli, tmp_path):
    here, there = f"sqlite:///{tmp_path / 'clinic.db'}", f"sqlite:///{tmp_path / 'other.db'}"
    bundle, before, after = (tmp_path / name for name in ("b.json", "1.json", "2.json"))
    _ok(cli, "db", "upgrade", "--database", here)
    _ok(cli, "patient", "add", "P001", "--birth-date", "1980-05-01", "--weight", "75 kg",
        "--origin", "spinal", "--database", here)  # fmt: skip
    _ok(cli, "pump", "implant", "P001", "--device", "synchromed2-20", "--serial", "NGP001",
        "--time-zone", "Europe/London", "--catheter", "8709SC", "--catheter-length", "50 cm",
        "--tip-level", "T10", "--fill", "20 mL", "--concentration", "500 mcg/mL",
        "--daily-dose", "250 mcg/day", "--at", "2026-11-02 10:00", "--database", here)  # fmt: skip
    _ok(cli, "refill", "record", "NGP001", "--withdrawn", "4.6 mL", "--expected", "5 mL",
        "--injected", "20 mL", "--concentration", "500 mcg/mL", "--at", "2026-11-20 10:00",
        "--database", here)  # fmt: skip
    _ok(cli, "export", "--fhir", str(bundle), "--database", here)
    _ok(cli, "db", "upgrade", "--database", there)
    _ok(cli, "import", "--fhir", str(bundle), "--database", there)
    _ok(cli, "export", str(before), "--database", here)
    _ok(cli, "export", str(after), "--database", there)
    imported, exported = (json.loads(Path(p).read_text())["patients"] for p in (after, before))
    (pump,) = imported[0]["pumps"]
    assert [(r["product"], r["injected_ml"]) for r in pump["refills"]] == [("", 20.0)] * 2
    assert imported == exported
