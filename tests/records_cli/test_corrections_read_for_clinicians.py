"""What `refill amend|void`, `assessment void` and `pump void-event` print names the entry in the
clinic's one date format ("Thu 12 Nov 2026 10:00"), not as typed ("2026-11-12 10:00"); the event
kind in words. `--json` keeps the machine keys and ISO times."""

from __future__ import annotations

import re

ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
AT = "2026-11-12 10:00"
SHOWN = "Thu 12 Nov 2026 10:00"
REFILL = (
    'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
    f'--concentration "500 mcg/mL" --at "{AT}"'
)


def _said(result) -> str:
    """The output as one line (the test console wraps at 80 columns)."""
    text = " ".join(result.stdout.split())
    assert not ISO_MOMENT.search(text), text
    return text


def test_an_amended_refill_is_named_by_its_date_as_the_clinic_reads_it(clinic):
    clinic.run(REFILL)
    amended = _said(clinic.run(f'refill amend NGP001 --at "{AT}" --withdrawn "3.6 mL" --reason x'))
    assert amended.startswith(f"refill of pump NGP001 at {SHOWN} amended discrepancy"), amended
    moved = _said(
        clinic.run(f'refill amend NGP001 --at "{AT}" --new-at "2026-11-12 11:30" --reason late')
    )
    assert moved.startswith(
        f"refill of pump NGP001 at {SHOWN} amended; now at Thu 12 Nov 2026 11:30"
    )
    payload = clinic.data('refill amend NGP001 --at "2026-11-12 11:30" --lot L9 --reason lot')
    assert payload["performed_at"].startswith("2026-11-12T11:30")


def test_voided_entries_are_named_by_their_date_and_kind_in_words(clinic):
    clinic.run(REFILL)
    clinic.run(f'assess P001 --mas "hip adductors L=2" --at "{AT}"')
    clinic.run(f'pump event NGP001 --kind low_reservoir --at "{AT}"')
    said = [
        _said(clinic.run(f'refill void NGP001 --at "{AT}" --reason wrong')),
        _said(clinic.run(f'assessment void P001 --at "{AT}" --reason wrong')),
        _said(clinic.run(f'pump void-event NGP001 --at "{AT}" --reason wrong')),
    ]
    assert said == [
        f"refill of pump NGP001 at {SHOWN} voided (wrong)",
        f"assessment of P001 at {SHOWN} voided (wrong)",
        f"Low reservoir of pump NGP001 at {SHOWN} voided (wrong)",
    ]


def test_a_discharge_and_an_explant_say_when_in_the_clinics_date_format(clinic):
    explant = _said(clinic.run('pump explant NGP001 --at "2026-11-20 09:00" --reason infection'))
    assert explant == "pump NGP001 explanted on Fri 20 Nov 2026 09:00 (infection)"
    discharge = _said(clinic.run('patient discharge P001 --at "2026-11-21 10:00" --reason moved'))
    assert discharge == "patient P001 discharged on Sat 21 Nov 2026 10:00 (moved)"
