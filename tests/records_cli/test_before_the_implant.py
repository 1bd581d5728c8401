"""A recorded pump read at a time before its implant: `check-program`, `risk` and `refill plan`
say so in one line (exit 2), not "scenario.duration (line 5): '-312.0 h' is negative" (found by
walking through the README: `check-program P001 --at "2026-10-20 09:00"` on a pump implanted on
2 Nov 2026); the whole clinic read at such a time leaves that pump out."""

from __future__ import annotations

import pytest

from itbtwin.errors import RecordError

BEFORE = "2026-10-20 09:00"


@pytest.mark.parametrize(
    "command",
    [
        f'check-program P001 --daily-dose "300 mcg/day" --at "{BEFORE}"',
        f'risk NGP001 --as-of "{BEFORE}"',
        f'refill plan NGP001 --as-of "{BEFORE}"',
    ],
)
def test_a_pump_read_before_its_implant_is_a_one_line_error(clinic, command):
    before = clinic.counts()
    result = clinic.invoke(command)
    # in process the error is raised; `itbtwin` prints it as one line with exit status 2
    assert isinstance(result.exception, RecordError), (result.output, result.exception)
    message = str(result.exception)
    assert "\n" not in message and "scenario." not in message
    assert "NGP001 of P001 was implanted on Mon 02 Nov 2026 10:00" in message
    assert "Tue 20 Oct 2026 09:00" in message
    assert clinic.counts() == before


def test_the_whole_clinic_read_before_an_implant_leaves_that_pump_out(two_pumps):
    ranked = two_pumps.data('risk --as-of "2026-11-05 09:00"')
    assert [p["name"] for p in ranked["patients"]] == ["P001"]
