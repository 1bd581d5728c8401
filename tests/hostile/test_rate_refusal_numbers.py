"""A program's rate outside the pump's range is said in plain numbers (issue 17, h42 retry:
`program set --daily-dose "1000000 mcg/day"` was refused as 'program.mode: ... (1e+06 mcg/day at
2000 mcg/mL)': no clinical quantity reads in scientific notation, and a continuous program's rate
is its daily dose, the field named)."""

from __future__ import annotations

import pytest

from itbtwin.errors import ItbError
from test_scenario import _error, scenario_text


@pytest.mark.parametrize(
    ("dose", "said"),
    [
        ("1000000 mcg/day", "is 2000 mL/day (1000000 mcg/day at 500 mcg/mL)"),
        ("0.001 mcg/day", "is 0.000002 mL/day (0.001 mcg/day at 500 mcg/mL)"),
    ],
)
def test_issue_17_a_rate_outside_the_pump_reads_in_plain_numbers(dose, said):
    err = _error(scenario_text(dose=dose))
    assert isinstance(err, ItbError) and err.field == "program[0].daily_dose"
    assert said in str(err) and "e+" not in str(err) and "e-" not in str(err)
