"""Clinic settings (issue 16): name, phone and hours stored once, audited before and after, and
refused without a change; the CLI's `clinic set|show` read and write them."""

from __future__ import annotations

import json

import pytest

from itbtwin import store
from itbtwin.clinic import ClinicContact
from itbtwin.errors import RecordError


def test_a_clinic_that_never_set_its_settings_gets_blanks(engine):
    store.upgrade(engine)
    with store.transaction(engine) as session:
        assert store.clinic_contact(session) == ClinicContact("", "", "")


def test_setting_the_phone_keeps_the_name_and_audits_only_what_changed(engine):
    store.upgrade(engine)
    with store.transaction(engine) as session:
        store.set_clinic_contact(session, "lead", name="ITB clinic", phone="0123 456", why="setup")
    with store.transaction(engine) as session:
        contact = store.set_clinic_contact(session, "nurse", phone="0123 999")
    assert contact == ClinicContact("ITB clinic", "0123 999", "")
    with store.transaction(engine) as session:
        first, second = store.audit_trail(session, "clinic")
        assert first.what["after"] == {"name": "ITB clinic", "phone": "0123 456"}
        assert (first.actor, first.why) == ("lead", "setup")
        assert second.what == {"before": {"phone": "0123 456"}, "after": {"phone": "0123 999"}}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "nothing to change"),
        ({"fax": "1"}, "no clinic setting fax"),
        ({"hours": "x" * 201}, "longer than 200 characters"),
    ],
)
def test_a_setting_change_that_says_nothing_new_is_refused(engine, changes, message):
    store.upgrade(engine)
    with pytest.raises(RecordError, match=message), store.transaction(engine) as session:
        store.set_clinic_contact(session, "lead", **changes)
    with store.transaction(engine) as session:
        assert store.audit_trail(session) == []


def test_clinic_set_then_show_on_the_command_line(cli, database_url):
    db = ("--database", database_url)
    assert cli("db", "upgrade", *db).exit_code == 0
    set_ = cli("clinic", "set", "--phone", "+44 20 7946 0000", "--hours", "Mon-Fri 8-5", *db)
    assert set_.exit_code == 0, set_.output
    shown = cli("clinic", "show", "--json", *db)
    assert json.loads(shown.stdout) == {
        "name": "",
        "phone": "+44 20 7946 0000",
        "hours": "Mon-Fri 8-5",
    }
    again = cli("clinic", "set", "--phone", "+44 20 7946 0000", *db)
    assert isinstance(again.exception, RecordError) and "nothing to change" in str(again.exception)
