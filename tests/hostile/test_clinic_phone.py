"""The clinic's phone number is a number a patient can dial (issue 17): it is printed on the
education sheet and the pump card for an alarm, so "abc" or a spreadsheet formula is refused."""

from __future__ import annotations

import pytest

from itbtwin.errors import RecordError
from itbtwin.store._bounds import check_phone
from records_cli.conftest import records  # noqa: F401


@pytest.mark.parametrize(
    "phone", ["+44 20 7946 0000", "(020) 7946 0000", "0800-123-456 ext. 12", "112", "555.123.4567"]
)
def test_issue_17_a_phone_number_as_clinics_write_it_is_taken(phone):
    assert check_phone(phone, "the phone") == phone


@pytest.mark.parametrize("phone", ["abc", "=1+1", "12", "+", "1 2", "\x1b[31m123", "020 7946; rm"])
def test_issue_17_text_that_is_no_phone_number_is_refused(phone):
    with pytest.raises(RecordError, match="is not a phone number"):
        check_phone(phone, "the phone")


def test_issue_17_clinic_set_refuses_a_phone_that_is_not_one_and_changes_nothing(records):  # noqa: F811
    before = records.counts()
    refused = records.invoke('clinic set --phone "=1+1"')
    assert isinstance(refused.exception, RecordError), refused.output
    assert "is not a phone number" in str(refused.exception)
    assert records.counts() == before


def test_issue_17_risk_refuses_a_clinic_phone_that_is_not_one(cli):
    refused = cli("risk", "examples/missed_refill.toml", "--clinic-phone", "abc")
    assert "is not a phone number" in str(refused.exception)


@pytest.mark.parametrize("name", ["=cmd", "+1", "-x", "@SUM"])
def test_issue_17_a_user_name_cannot_start_a_spreadsheet_formula(name):
    from itbtwin.store._accounts import check_user

    with pytest.raises(RecordError, match="a spreadsheet reads it as a formula"):
        check_user(name, "nurse")
