"""Issue 17, h29 sweep: a discharge was the one patient record whose time was not read as the
others' are: `patient discharge --at "1900-01-01 10:00"` (before the birth), a time the clocks
skipped and one they repeated were stored without a word. It is now read as an assessment's
time is (the pump's zone, after the birth) and a refused one changes nothing."""

from __future__ import annotations

import pytest

from itbtwin.errors import RecordError
from records_cli.conftest import clinic, records  # noqa: F401


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("1900-01-01 10:00", "the discharge 1900-01-01 is before the patient's birth (1980-05-01)"),
        ("2026-03-29 01:30", "did not happen in Europe/London: the clocks went forward"),
        ("2026-10-25 01:30", "happened twice in Europe/London (the clocks went back)"),
    ],
)
def test_issue_17_a_discharge_time_no_record_could_have_is_refused(clinic, at, message):  # noqa: F811
    before = clinic.counts()
    result = clinic.invoke(f'patient discharge P001 --reason "moved" --at "{at}"')
    assert isinstance(result.exception, RecordError), result.output
    assert message in str(result.exception)
    assert clinic.counts() == before
    assert clinic.data("patient show P001")["discharged_at"] is None


def test_issue_17_a_discharge_in_the_first_repeated_hour_with_its_offset_is_stored(clinic):  # noqa: F811
    clinic.run('patient discharge P001 --reason "moved" --at "2026-10-25 01:30+01:00"')
    assert clinic.data("patient show P001")["discharged_at"].startswith("2026-10-25T01:30")


def test_issue_17_a_discharge_in_the_second_repeated_hour_is_refused(clinic):  # noqa: F811
    before = clinic.counts()
    result = clinic.invoke('patient discharge P001 --reason "moved" --at "2026-10-25 01:30+00:00"')
    assert isinstance(result.exception, RecordError), result.output
    assert "the discharge at 2026-10-25 01:30+00:00 is in the second of the two repeated hours" in (
        str(result.exception)
    )
    assert clinic.counts() == before
    assert clinic.data("patient show P001")["discharged_at"] is None
