"""`itbtwin audit` shows what changed in a clinician's words, as the web's audit view does (one
formatter, `audit_labels.audit_fields`): a label and unit for each stored key, the one date
format, a program as its steps and doses, a program change's daily dose before and after;
`--json` keeps the stored keys (h39)."""

from __future__ import annotations

import re

import pytest

from itbtwin.cli import _app
from web.test_readable import unreadable

from .conftest import FLEX


@pytest.fixture
def very_wide(monkeypatch):
    """A console wide enough that no cell of the audit table wraps, so each line reads whole."""
    monkeypatch.setattr(_app.console, "width", 400)


def _what_lines(text: str) -> list[str]:
    """The table's cells, one per line and column, without the borders."""
    return [cell.strip() for line in text.splitlines() for cell in line.split("│") if cell.strip()]


def test_a_flex_program_change_reads_as_steps_with_start_time_and_dose(clinic, tmp_path, very_wide):
    path = tmp_path / "flex.toml"
    path.write_text(FLEX)
    clinic.run(
        f'program set NGP001 --program {path} --at "2026-11-13 10:00" --reason "night spasms"'
    )
    cells = _what_lines(clinic.run("audit --serial NGP001").stdout)
    assert "Pump serial: NGP001" in cells
    assert "Effective from: Fri 13 Nov 2026 10:00" in cells
    assert "Before: Continuous, 250 mcg/day at 500 mcg/mL" in cells
    assert (
        "After: Flex at 500 mcg/mL: from 00:00 for 10 h, 200 mcg/day; "
        "from 10:00 for 14 h, 300 mcg/day"
    ) in cells
    assert "Mean daily dose: 250 → 258.33 mcg/day" in cells
    assert "Check: pass" in cells and "Rules: -" in cells and "Bridge bolus: no" in cells
    [change] = [e for e in clinic.audit() if e["action"] == "program.set"]
    assert change["what"]["mcg_per_day"] == pytest.approx([250.0, 258.3333333])  # keys kept
    assert change["what"]["after"]["step"][1]["rate"] == "300.0 mcg/day"


def test_the_audit_table_shows_no_machine_key_iso_time_or_float_noise(clinic, very_wide):
    clinic.run(
        'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
        '--concentration "500 mcg/mL" --at "2026-11-12 10:00" --reason routine'
    )
    clinic.run('pump event NGP001 --kind catheter_kink --share "30 %" --at "2026-11-15 10:00"')
    clinic.run(
        'pump event NGP001 --kind wrong_concentration --programmed "1000 mcg/mL" '
        '--at "2026-11-16 10:00"'
    )
    text = clinic.run("audit").stdout
    cells = _what_lines(text)
    assert "Pump model: SynchroMed II 20 mL (8637-20)" in cells
    assert "Program: Continuous, 250 mcg/day at 500 mcg/mL" in cells
    assert "Kind: catheter kink" in cells and "Share of the flow affected: 30%" in cells
    assert "When: Sun 15 Nov 2026 10:00" in cells
    assert "Programmed concentration (mcg/mL): 1000" in cells
    assert not any(re.search(r"\w=\w", c) for c in cells)  # no key=value left
    assert unreadable(text) == {}


def test_pump_show_names_the_pump_model_and_what_each_fault_measured(clinic, very_wide):
    kink = 'pump event NGP001 --kind catheter_kink --share "30 %" --at "2026-11-15 10:00"'
    assert " ".join(clinic.run(kink).stdout.split()) == (
        "pump NGP001: catheter kink at Sun 15 Nov 2026 10:00 recorded (30% of the flow)"
    )
    wrong = clinic.run(
        'pump event NGP001 --kind wrong_concentration --programmed "1 mg/mL" '
        '--at "2026-11-16 10:00"'
    )
    assert "wrong concentration at Mon 16 Nov 2026 10:00 recorded (1000 mcg/mL programmed)" in (
        " ".join(wrong.stdout.split())
    )
    text = clinic.run("pump show NGP001").stdout
    assert "NGP001 SynchroMed II 20 mL (8637-20) of P001" in text
    cells = _what_lines(text)
    assert "30% of the flow" in cells and "1000 mcg/mL programmed" in cells
    events = clinic.data("pump show NGP001")["events"]
    assert [(e["fraction"], e["programmed_mcg_per_ml"]) for e in events] == [
        (0.3, None),
        (None, 1000.0),
    ]
    assert unreadable(text) == {}
