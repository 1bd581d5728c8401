"""Units spelled as their kind's canonical unit are read without pint (issue 13), and each such
spelling means exactly what pint says it means."""

from __future__ import annotations

import pytest

from itbtwin.units import KINDS, parse_quantity
from itbtwin.units._parse import CANONICAL_SPELLINGS, EXACT_SPELLINGS
from itbtwin.units._registry import registry


@pytest.mark.parametrize(("unit", "kind"), sorted(CANONICAL_SPELLINGS))
def test_issue_13_a_canonical_spelling_is_one_canonical_unit_in_pint(unit: str, kind: str) -> None:
    ureg = registry()
    quantity = ureg.Quantity(1.0, ureg.parse_units(unit))
    assert quantity.check(KINDS[kind].dimension)
    assert quantity.m_as(KINDS[kind].canonical) == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize(("unit", "kind"), sorted(EXACT_SPELLINGS))
def test_issue_13_a_spelling_read_without_pint_has_pints_factor(unit: str, kind: str) -> None:
    ureg = registry()
    quantity = ureg.Quantity(1.0, ureg.parse_units(unit))
    assert quantity.check(KINDS[kind].dimension)
    assert quantity.m_as(KINDS[kind].canonical) == pytest.approx(
        EXACT_SPELLINGS[unit, kind], rel=1e-15
    )
    assert parse_quantity(f"7 {unit}", kind) == 7 * EXACT_SPELLINGS[unit, kind]
