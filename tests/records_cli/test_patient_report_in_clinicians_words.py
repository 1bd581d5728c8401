"""`itbtwin report patient` reads for a clinician (h41): a finding's rule in words, the model
parameters by label and unit (the model's key small beside it), a flex program as its steps, a
delivery error signed ("+2.7%"), and an audit table that says what changed ("250 → 258.33
mcg/day mean daily dose"; a refill's volumes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.test_readable import unreadable

from .conftest import FLEX

AS_OF = ("--as-of", "2026-11-20 10:00")


@pytest.fixture
def page(clinic, tmp_path) -> str:
    """P001's report after a refill (4.6 mL withdrawn of 5 mL expected: +2.7% delivered) on 12
    Nov and a change to the conftest's flex program (mean 258.33 mcg/day) on 13 Nov."""
    clinic.run(
        'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
        '--concentration "500 mcg/mL" --at "2026-11-12 10:00" --reason routine'
    )
    program = tmp_path / "flex.toml"
    program.write_text(FLEX)
    clinic.run(
        f'program set NGP001 --program {program} --at "2026-11-13 10:00" --reason "night spasms"'
    )
    out = tmp_path / "p.html"
    clinic.run("report patient P001 --out", str(out), *AS_OF)
    return Path(out).read_text(encoding="utf-8")


def _section(page: str, title: str) -> str:
    start = page.index(f">{title}</h2>")
    return page[start : page.index("<h2", start + 1)]


def test_a_findings_rule_is_named_in_words_beside_its_source(page):
    rules = re.findall(r'<span class="rule">\(([^;]*); source', page)
    assert rules and not [rule for rule in rules if "_" in rule], rules


def test_the_model_parameters_read_by_label_and_unit_with_the_models_key_beside(page):
    table = _section(page, "Model and device numbers")
    assert "<th>Parameter</th><th>Key</th>" in table
    assert '<td>Lumbar CSF volume (mL)</td><td class="key"><code>v_lumbar_ml</code></td>' in table
    assert '<td>Oral bioavailability</td><td class="key"><code>f_oral</code></td>' in table


def test_a_flex_program_in_the_history_shows_its_steps(page):
    programs = _section(page, "Programs")
    assert (
        "Flex at 500 mcg/mL: from 00:00 for 10 h, 200 mcg/day; from 10:00 for 14 h, 300 mcg/day"
    ) in programs
    assert "Continuous, 250 mcg/day at 500 mcg/mL" in programs


def test_a_refills_delivery_error_is_signed_as_on_every_face(page):
    refills = _section(page, "Refills")
    assert "<th>Delivery error</th>" in refills and "<td>+2.7%</td>" in refills


def test_the_audit_table_says_what_changed_in_a_short_column(page):
    audit = _section(page, "Audit trail")
    assert "<th>What</th>" in audit
    assert "<td>250 → 258.33 mcg/day mean daily dose</td>" in audit
    assert "Withdrawn (mL): 4.6; Expected (mL): 5; Injected (mL): 20" in audit
    assert "Delivery error: +2.7%" in audit


def test_nothing_in_the_report_is_a_machine_word_but_the_models_keys(page):
    shown = re.sub(r'<td class="key">.*?</td>', "", page)
    shown = shown[: shown.index(">Sources</h2>")]  # source keys are cited as written
    assert unreadable(shown) == {}
