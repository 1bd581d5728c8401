"""Issue 17 point 2: docs/records.md "Bounds of each field" lists the bounds the store checks,
and the NONMEM CSV never writes a cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from itbtwin.errors import RecordError
from itbtwin.pump import find_device
from itbtwin.store._assessments import PENN_FREQUENCY, PENN_SEVERITY
from itbtwin.store._bounds import (
    BOUNDS,
    EARLIEST_BIRTH,
    EARLIEST_IMPLANT,
    EVENT_KINDS,
    IDENTIFIER_RULE,
    check_identifier,
)
from itbtwin.store._nonmem import NONMEM_COLUMNS, write_nonmem
from itbtwin.store._patients import BODY_WEIGHT_KG

DOC = (Path(__file__).parents[2] / "docs" / "records.md").read_text()
SECTION = DOC.split("## Bounds of each field", 1)[1].split("\n## ", 1)[0]


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def test_issue_17_the_bounds_table_lists_every_bound_the_store_checks():
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \| (.+?) \| (.+?) \| (.+?) \|$", SECTION, re.M)
    documented = {field: tuple(cells) for field, *cells in rows}
    expected = {b.field: (_shown(b.low), _shown(b.high), b.unit, b.reason) for b in BOUNDS}
    assert documented == expected


def test_issue_17_the_bounds_agree_with_the_checks_that_use_them():
    bound = {b.field: b for b in BOUNDS}
    assert (bound["weight_kg"].low, bound["weight_kg"].high) == BODY_WEIGHT_KG
    assert range(int(bound["penn_frequency"].low), int(bound["penn_frequency"].high) + 1) == (
        PENN_FREQUENCY
    )
    assert range(int(bound["penn_severity"].low), int(bound["penn_severity"].high) + 1) == (
        PENN_SEVERITY
    )
    assert "(13, SynchroMed II)" in bound["flex_steps"].reason
    assert find_device("synchromed2-20").flex_step_limit == 13


def test_issue_17_the_date_bounds_and_event_kinds_are_documented():
    assert f"| birth date | {EARLIEST_BIRTH.isoformat()} |" in SECTION
    assert f"| implant | {EARLIEST_IMPLANT.isoformat()}," in SECTION
    kinds = SECTION.split("**Event kinds**", 1)[1].split("\n\n", 1)[0]
    named = set(re.findall(r"`(\w+)`", kinds))
    assert named <= set(EVENT_KINDS)
    assert {k for k in EVENT_KINDS if not k.startswith("catheter_")} <= named


def test_issue_17_no_nonmem_csv_cell_starts_a_spreadsheet_formula():
    row = dict.fromkeys(NONMEM_COLUMNS, 0.0)
    texts = ['=HYPERLINK("http://x","y")', "+1", "-cmd", "@SUM(A1)", "\tx", "hip_L"]
    rows = [row | {"MUSCLE": text, "TIME": -1.5} for text in texts]
    out = io.StringIO()
    write_nonmem(rows, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [r["MUSCLE"] for r in table] == ["'" + t for t in texts[:-1]] + ["hip_L"]
    assert all(r["TIME"] == "-1.5" for r in table)  # numbers are written as they are


ALLOWED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")


@given(st.text(max_size=60) | st.text(alphabet=sorted(ALLOWED), max_size=60))
def test_issue_17_an_identifier_is_accepted_exactly_when_it_keeps_to_the_stated_characters(text):
    keeps = 1 <= len(text) <= 40 and set(text) <= ALLOWED and text[0] not in "._-"
    try:
        check_identifier(text, "the identifier")
    except RecordError as err:
        assert not keeps
        assert IDENTIFIER_RULE in str(err) and "\n" not in str(err)
    else:
        assert keeps
