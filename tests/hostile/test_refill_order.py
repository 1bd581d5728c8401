"""Refills are recorded in order (issue 17): a refill one minute before the pump's last one was
stored, and the later refill's reconciliation (what it withdrew against what the pump expected)
then rested on a fill it never saw."""

from __future__ import annotations

from itbtwin.errors import RecordError
from records_cli.conftest import clinic, records  # noqa: F401

REFILL = (
    'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
    '--concentration "500 mcg/mL" --product Lioresal --lot L2 --at "{at}"'
)


def test_issue_17_a_refill_before_the_last_one_is_refused_and_changes_nothing(clinic):  # noqa: F811
    clinic.run(REFILL.format(at="2026-11-12 10:00"))
    before = clinic.counts()
    refused = clinic.invoke(REFILL.format(at="2026-11-12 09:59"))
    assert isinstance(refused.exception, RecordError), refused.output
    assert "is before pump NGP001's last refill" in str(refused.exception)
    assert clinic.counts() == before


def test_issue_17_a_refill_after_the_last_one_is_recorded(clinic):  # noqa: F811
    clinic.run(REFILL.format(at="2026-11-12 10:00"))
    clinic.run(REFILL.format(at="2026-11-20 10:00"))
    assert clinic.counts()["refill"] == 3  # the implant's fill and two refills
