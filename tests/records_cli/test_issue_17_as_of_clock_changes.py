"""Issue 17: the time a read-only command is asked about is checked as a record time is. In the
pump's zone a time the clocks skipped is refused, one they repeated needs its UTC offset (and is
then the pump's wall time), the second of the two repeated hours is refused; a clinic-wide
command checks in the zone of every pump it covers and reads them at one clock time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itbtwin.errors import ItbError
from records_cli.conftest import IMPLANT

SKIPPED = "2027-03-28 01:30"
"""The clocks went forward over 01:00-02:00 in London on 28 Mar 2027."""
REPEATED = "2027-10-31 01:30"
"""01:00-02:00 happened twice in London on 31 Oct 2027: BST (+01:00), then GMT (+00:00)."""

READ_ONLY = {
    "schedule": "schedule --as-of",
    "risk of a pump": "risk NGP001 --as-of",
    "risk of the clinic": "risk --as-of",
    "check-program": 'check-program NGP001 --daily-dose "300 mcg/day" --at',
    "refill plan": "refill plan NGP001 --as-of",
    "refill schedule": "refill schedule NGP001 --as-of",
    "report clinic": "report clinic --out {tmp}/c.html --as-of",
    "report patient": "report patient P001 --out {tmp}/p.html --as-of",
    "export --nonmem": "export --nonmem {tmp}/n.csv --until",
}
"""Each read-only command with the option that gives its time, last."""


def refused(clinic, command: str, at: str, message: str, out: Path | None = None) -> None:
    """A one-line refusal holding `message` that changed nothing: no row, no
    audit entry, nothing written in `out`."""
    before, audit = clinic.counts(), clinic.audit()
    result = clinic.invoke(f'{command} "{at}"')
    if isinstance(result.exception, ItbError):  # the entry point prints it, exit status 2
        text = str(result.exception)
    else:  # `itbtwin export` prints its error itself and exits with 2
        assert result.exit_code == 2, (result.output, result.exception)
        text = result.output.strip().removeprefix("error: ")
    assert message in text and "\n" not in text, text
    assert clinic.counts() == before and clinic.audit() == audit
    assert out is None or not list(out.iterdir())


@pytest.fixture
def out(tmp_path) -> Path:
    """Where the reports and the export are written (empty)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture(params=READ_ONLY.values(), ids=READ_ONLY.keys())
def read_only(request, out) -> str:
    return request.param.format(tmp=out)


def test_issue_17_a_read_only_time_the_clocks_skipped_is_refused(clinic, read_only, out):
    refused(clinic, read_only, SKIPPED, "2027-03-28 01:30 did not happen in Europe/London", out)


def test_issue_17_a_read_only_time_in_the_repeated_hour_needs_its_offset(clinic, read_only, out):
    refused(
        clinic,
        read_only,
        REPEATED,
        "happened twice in Europe/London (the clocks went back): give the UTC offset, e.g. "
        '"2027-10-31 01:30+01:00" (+01:00 or +00:00)',
        out,
    )


def test_issue_17_a_read_only_time_in_the_second_repeated_hour_is_refused(clinic, read_only, out):
    refused(
        clinic,
        read_only,
        f"{REPEATED}+00:00",
        "2027-10-31 01:30+00:00 is in the second of the two repeated hours in Europe/London",
        out,
    )


def test_issue_17_the_first_repeated_hour_with_its_offset_is_the_pumps_wall_time(clinic):
    first = "2027-10-31 00:30+00:00"  # 01:30 BST
    assert clinic.data(f'schedule --as-of "{first}"')["now"] == "2027-10-31T01:30:00"
    # blocked (the reservoir ran empty in 2026), exit status 1: its JSON says when it was read
    check = clinic.invoke(f'check-program NGP001 --daily-dose "300 mcg/day" --at "{first}" --json')
    assert json.loads(check.stdout)["at"] == "2027-10-31T01:30:00"
    plan = clinic.data(f'refill plan NGP001 --as-of "{first}"')
    assert plan["dates"]["now_at"] == "2027-10-31T01:30:00+01:00"


def test_issue_17_a_time_with_an_offset_is_read_as_the_same_moment_on_the_pumps_clock(clinic):
    summer = clinic.data('risk NGP001 --as-of "2027-06-01 09:00+00:00"')  # 10:00 BST
    assert summer == clinic.data('risk NGP001 --as-of "2027-06-01 10:00"')
    assert summer != clinic.data('risk NGP001 --as-of "2027-06-01 09:00"')


@pytest.fixture
def two_zones(clinic):
    """The small clinic plus P002 with NGP002 in New York (clocks change two weeks apart)."""
    clinic.run(
        'patient add P002 --birth-date 1990-01-01 --weight "60 kg" --origin cerebral --by nurse'
    )
    new_york = IMPLANT.replace("P001", "P002").replace("NGP001", "NGP002")
    clinic.run(new_york.replace("Europe/London", "America/New_York"))
    return clinic


@pytest.mark.parametrize("command", ["schedule --as-of", "report clinic --out {tmp} --as-of"])
def test_issue_17_a_clinic_time_skipped_in_any_pumps_zone_is_refused_naming_it(
    two_zones, command, out
):
    command = command.format(tmp=out / "c.html")
    refused(two_zones, command, "2027-03-14 02:30", "for 1 pump at 2027-03-14 02:30 did not ")
    refused(two_zones, command, "2027-03-14 02:30", "did not happen in America/New_York")
    refused(two_zones, command, SKIPPED, "did not happen in Europe/London")


def test_issue_17_an_offset_that_is_a_different_clock_time_in_two_zones_is_refused(two_zones):
    refused(
        two_zones,
        "schedule --as-of",
        "2027-06-01 10:00+01:00",
        "--as-of 2027-06-01 10:00+01:00 is a different clock time in the zones of the clinic's "
        "pumps (05:00 in America/New_York, 10:00 in Europe/London): the clinic is read at one "
        "clock time in every zone; give it without a UTC offset",
    )
    assert two_zones.data('schedule --as-of "2027-06-01 10:00"')["now"] == "2027-06-01T10:00:00"


def test_issue_17_pumps_named_in_two_zones_are_each_read_at_the_moment_given(two_zones):
    both = two_zones.data('risk NGP001 NGP002 --as-of "2027-06-01 10:00+01:00"')["patients"]
    london = two_zones.data('risk NGP001 --as-of "2027-06-01 10:00"')["patients"]
    new_york = two_zones.data('risk NGP002 --as-of "2027-06-01 05:00"')["patients"]
    assert sorted(both, key=lambda p: p["name"]) == london + new_york
