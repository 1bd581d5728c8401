"""Issue 17: a time in the second of the two repeated hours, given with its offset, was stored as
the naive wall time and read back as the first (one hour off). Every record command now refuses
it, saying why and what to give instead, and changes nothing."""

from __future__ import annotations

import pytest

from records_cli.test_issue_17_bounds import IMPLANT_P002, P002, refused

SECOND = "2026-10-25 01:30+00:00"
"""The second 01:30 in London on 25 Oct 2026 (GMT); the first was 01:30+01:00 (BST)."""
WHY = (
    "at 2026-10-25 01:30+00:00 is in the second of the two repeated hours in Europe/London (the "
    "clocks went back): the records keep the pump's wall-clock time and read a repeated hour as "
    "the first, so this time would be taken an hour early; give 2026-10-25 02:00 (just after the "
    "repeated hour) instead"
)

COMMANDS = {
    "refill": 'refill record NGP002 --withdrawn "4 mL" --expected "4 mL" --injected "20 mL" '
    '--concentration "500 mcg/mL" --product Lioresal --lot L2',
    "program change": 'program set NGP002 --daily-dose "275 mcg/day" --reason "spasms"',
    "revision": 'pump revise NGP002 --catheter 8709SC --catheter-length "45 cm" --reason x',
    "event": "pump event NGP002 --kind low_reservoir",
    "assessment": 'assess P002 --mas "hip adductors L=2"',
    "explant": "pump explant NGP002 --reason infection",
    "discharge": 'patient discharge P002 --reason "moved"',
}


@pytest.fixture
def implanted(clinic):
    """P002 with NGP002 implanted at the first 01:30 (BST) of 25 Oct 2026."""
    clinic.run(P002)
    clinic.run(IMPLANT_P002 + '"2026-10-25 01:30+01:00"')
    return clinic


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_issue_17_a_record_in_the_second_repeated_hour_is_refused_and_changes_nothing(
    implanted, command
):
    text = refused(implanted, f'{command} --at "{SECOND}"', WHY)
    assert text.startswith("the ")
    assert implanted.data("pump show NGP002")["explanted_at"] is None
    assert implanted.data("patient show P002")["discharged_at"] is None
