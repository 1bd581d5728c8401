"""Each void command (`refill void`, `assessment void`, `pump void-event`, `program void`) voids
the entry it names with its correction in one transaction and says so in one line a clinician
reads, "<entry> voided (<reason>)"; with --json, the entry's keys, `voided` and the correction."""

from __future__ import annotations

import pytest

SETUP = (
    'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
    '--concentration "500 mcg/mL" --at "2026-11-12 10:00"',
    'assess P001 --mas "hip adductors L=2" --at "2026-11-20 10:00"',
    'pump event NGP001 --kind occlusion --at "2026-11-10 10:00"',
    'program set NGP001 --daily-dose "300 mcg/day" --reason "spasms" --at "2026-11-15 10:00"',
)
VOIDS = [
    (
        'refill void NGP001 --at "2026-11-12 10:00"',
        "refill of pump NGP001 at Thu 12 Nov 2026 10:00",
        {"serial": "NGP001", "entry": "refill", "at": "2026-11-12 10:00"},
    ),
    (
        'assessment void P001 --at "2026-11-20 10:00"',
        "assessment of P001 at Fri 20 Nov 2026 10:00",
        {"patient": "P001", "entry": "assessment", "at": "2026-11-20 10:00"},
    ),
    (
        'pump void-event NGP001 --at "2026-11-10 10:00"',
        "Occlusion of pump NGP001 at Tue 10 Nov 2026 10:00",
        {"serial": "NGP001", "entry": "event", "at": "2026-11-10 10:00", "kind": "occlusion"},
    ),
    (
        "program void NGP001 --version 2",
        "program version 2 of pump NGP001",
        {"serial": "NGP001", "entry": "program_version", "version": 2},
    ),
]


@pytest.fixture
def recorded(clinic):
    for command in SETUP:
        clinic.run(command)
    return clinic


@pytest.mark.parametrize(("command", "name", "keys"), VOIDS)
def test_a_void_says_which_entry_it_voided_and_why(recorded, command, name, keys):
    printed = recorded.run(f'{command} --reason "entered in error"').stdout
    assert printed.strip() == f"{name} voided (entered in error)"
    assert recorded.audit()[-1]["why"] == "entered in error"


@pytest.mark.parametrize(("command", "name", "keys"), VOIDS)
def test_a_void_in_json_gives_the_entry_and_its_correction(recorded, command, name, keys):
    found = recorded.data(f'{command} --reason "entered in error"')
    correction = found.pop("correction")
    assert isinstance(correction, int) and correction > 0
    assert found == keys | {"voided": True, "reason": "entered in error"}
