"""The clinic settings form (issue 15 pt 2): physicians set the clinic's name, phone number and
hours with the same store function as `itbtwin clinic set`, audited, CSRF-checked; bad input
re-renders the form with its message and stores nothing."""

from __future__ import annotations

from itbtwin import store
from web.conftest import csrf_of

PHONE = "+44 20 7946 0000"


def _contact(clinic):  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        return store.clinic_contact(db)


def _save(client, **fields):  # type: ignore[no-untyped-def]
    form = {"csrf_token": csrf_of(client, "/clinic"), "name": "", "phone": "", "hours": ""}
    return client.post("/clinic", data=form | fields)


def test_a_physician_sets_the_phone_number_audited_and_the_patient_card_prints_it(clinic):
    doctor = clinic.client("dr-alice")
    saved = _save(doctor, name="Spasticity clinic", phone=PHONE, why="new switchboard")
    assert (saved.status_code, saved.headers["location"]) == (303, "/clinic?saved=1")
    page = doctor.get(saved.headers["location"]).text
    assert "Clinic settings saved." in page and f'value="{PHONE}"' in page
    contact = _contact(clinic)
    assert (contact.name, contact.phone, contact.hours) == ("Spasticity clinic", PHONE, "")
    with store.transaction(clinic.engine) as db:
        (entry,) = [e for e in store.audit_trail(db, "clinic") if e.action == "clinic.settings"]
        assert (entry.actor, entry.why) == ("dr-alice", "new switchboard")
        assert entry.what["after"] == {"name": "Spasticity clinic", "phone": PHONE}
        assert entry.what["before"] == {"name": "", "phone": ""}
    card = clinic.client("nurse-carol").get(f"/patients/{clinic.patient_id()}/card").text
    assert PHONE in card


def test_a_form_that_changes_nothing_or_holds_too_long_a_value_stores_nothing(clinic):
    doctor = clinic.client("dr-alice")
    same = _save(doctor)
    assert same.status_code == 400 and "nothing to change: each setting is as stored" in same.text
    long = _save(doctor, phone="1" * 201, name="Spasticity clinic")
    assert long.status_code == 400
    assert "the clinic&#39;s phone is longer than 200 characters" in long.text
    assert 'value="Spasticity clinic"' in long.text  # the form keeps what was typed
    contact = _contact(clinic)
    assert (contact.name, contact.phone) == ("", "")


def test_only_physicians_see_the_form_and_its_link_and_a_missing_token_changes_nothing(clinic):
    nurse = clinic.client("nurse-carol")
    assert nurse.get("/clinic").status_code == 403
    assert 'href="/clinic"' not in nurse.get("/").text
    doctor = clinic.client("dr-alice")
    assert 'href="/clinic"' in doctor.get("/").text
    refused = doctor.post("/clinic", data={"phone": PHONE})
    assert refused.status_code == 403 and _contact(clinic).phone == ""


def test_hostile_text_in_a_setting_is_stored_verbatim_and_shown_escaped(clinic):
    from markupsafe import escape

    from web.test_records import HOSTILE

    doctor = clinic.client("dr-alice")
    for text in HOSTILE:
        assert _save(doctor, name=text).status_code == 303
        assert _contact(clinic).name == text
        page = doctor.get("/clinic").text
        assert f'value="{escape(text)}"' in page and text not in page
