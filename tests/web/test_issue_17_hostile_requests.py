"""Issue 17 point 7, the h34 hostile sweep of the web workspace: what an attacker's request held
that no browser sends was read without a word or reached the database driver. Each class of
finding is refused in one line (4xx) and changes nothing:

- a record id no database can hold (/patients/10^20) was an OverflowError, a server error;
- a field given twice was read as its last value (a wrong `csrf_token` before the right one);
- bytes that are not UTF-8 became U+FFFD and were stored;
- a body that is not a URL-encoded form (JSON, multipart with a file) was read as an empty or
  partial form, the file dropped;
- a NUL character reached PostgreSQL, which refuses it in text (a server error there);
- a body longer than its Content-Length was read whole.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from itbtwin import store
from web.conftest import csrf_of, login_token
from web.test_records import REFILL

BIG = "99999999999999999999"  # 10^20: beyond SQLite's INTEGER
FORM = {"content-type": "application/x-www-form-urlencoded"}


def _records(clinic) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """The audit trail's length, the first pump's refills and the clinic's name: what a refused
    request must leave as it was."""
    with store.transaction(clinic.engine) as db:
        pump = store.implanted_pumps(db)[0]
        return len(store.audit_trail(db)), len(pump.refills), store.clinic_contact(db).name


def _patient(clinic) -> int:  # type: ignore[no-untyped-def]
    return clinic.patient_id(0)


@pytest.mark.parametrize(
    "path",
    [
        f"/patients/{BIG}",
        f"/patients/{BIG}/refill",
        f"/changes/{BIG}",
        f"/audit?patient={BIG}",
        "/patients/9223372036854775808",
        "/patients/9223372036854775807",
        "/patients/2147483648",  # beyond PostgreSQL's INTEGER id columns
    ],
)
def test_issue_17_a_record_id_no_database_can_hold_is_not_found(clinic, path):
    page = clinic.client("dr-alice").get(path)
    assert page.status_code == 404 and "no such record" in page.text


def test_issue_17_ending_a_session_of_an_impossible_id_is_not_found_and_ends_nothing(clinic):
    client = clinic.client("nurse-carol")
    ended = client.post(f"/account/sessions/{BIG}/end", data={"csrf_token": csrf_of(client)})
    assert ended.status_code == 404 and "no such open session of yours" in ended.text
    assert client.get("/audit").status_code == 200


@pytest.mark.parametrize("twice", ["csrf_token", "withdrawn", "lot"])
def test_issue_17_a_field_given_twice_is_refused_and_nothing_is_stored(clinic, twice):
    client = clinic.client("nurse-carol")
    form = {"csrf_token": csrf_of(client)} | REFILL
    before = _records(clinic)
    body = urlencode({twice: "bad"}) + "&" + urlencode(form)  # the right value last
    response = client.post(f"/patients/{_patient(clinic)}/refill", content=body, headers=FORM)
    assert response.status_code == 400
    assert response.text == f"the field '{twice}' is given twice in the form: each field comes once"
    assert _records(clinic) == before


@pytest.mark.parametrize("lot", [b"L%FF", b"L\xff\xfe", b"L%C3%28", b"L%ED%A0%80"])
def test_issue_17_a_form_that_is_not_utf8_is_refused_and_nothing_is_stored(clinic, lot):
    client = clinic.client("nurse-carol")
    form = {"csrf_token": csrf_of(client)} | {k: v for k, v in REFILL.items() if k != "lot"}
    before = _records(clinic)
    body = urlencode(form).encode() + b"&lot=" + lot
    response = client.post(f"/patients/{_patient(clinic)}/refill", content=body, headers=FORM)
    assert response.status_code == 400
    assert response.text == "the form is not URL-encoded UTF-8 text, as a browser sends it"
    assert _records(clinic) == before


def test_issue_17_utf8_text_sent_as_a_browser_sends_it_is_stored_as_typed(clinic):
    client = clinic.client("dr-alice")
    form = {"csrf_token": csrf_of(client), "name": "Clínica de espasticidade", "why": "accents"}
    assert client.post("/clinic", data=form).status_code == 303
    assert _records(clinic)[2] == "Clínica de espasticidade"


@pytest.mark.parametrize("kind", ["json", "multipart", "text"])
def test_issue_17_a_body_that_is_not_a_url_encoded_form_is_refused_415(clinic, kind):
    client = clinic.client("dr-alice")
    form = {"csrf_token": csrf_of(client), "name": "Other name", "why": "type"}
    before = _records(clinic)
    if kind == "json":
        response = client.post("/clinic", json=form)
    elif kind == "multipart":
        response = client.post("/clinic", data=form, files={"name": ("n.txt", b"X", "text/plain")})
    else:
        response = client.post(
            "/clinic", content=urlencode(form), headers={"content-type": "text/plain"}
        )
    assert response.status_code == 415
    assert response.text == "the workspace reads forms only (application/x-www-form-urlencoded)"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert _records(clinic) == before


def test_issue_17_a_nul_character_in_a_form_or_a_query_is_refused(clinic):
    """On PostgreSQL each of these reached the database, which refuses NUL in text."""
    anonymous = clinic.client()
    data = {"login_token": login_token(anonymous), "username": "nurse\x00carol", "password": "x"}
    response = anonymous.post("/login", data=data | {"code": ""})
    assert response.status_code == 400
    assert response.text == "the field 'username' holds a NUL character"
    client = clinic.client("dr-alice")
    audit = client.get("/audit", params={"user": "dr\x00alice"})
    assert audit.status_code == 400
    assert audit.text == "the field 'user' holds a NUL character"
    before = _records(clinic)
    form = {"csrf_token": csrf_of(client), "name": "A\x00B", "why": "nul"}
    assert client.post("/clinic", data=form).status_code == 400
    assert _records(clinic) == before


def test_issue_17_a_query_field_given_twice_or_not_utf8_is_refused(clinic):
    client = clinic.client("dr-alice")
    twice = client.get("/audit?kind=user&kind=refill")
    assert twice.status_code == 400
    assert twice.text == (
        "the field 'kind' is given twice in the address's query: each field comes once"
    )
    assert client.get("/audit?kind=%FF").status_code == 400
    assert client.get("/audit?kind=refill").status_code == 200


def test_issue_17_a_body_longer_than_its_content_length_is_refused(clinic):
    client = clinic.client("dr-alice")
    body = urlencode({"csrf_token": csrf_of(client), "name": "Longer", "why": "length"})
    before = _records(clinic)
    response = client.post("/clinic", content=body, headers=FORM | {"content-length": "5"})
    assert response.status_code == 400 and "Content-Length says 5" in response.text
    assert _records(clinic) == before


def test_issue_17_the_audit_filter_for_every_patient_filters_by_user_and_kind(clinic):
    """The filter form's "All" patients sends `patient=` (empty): it was "no such page"."""
    client = clinic.client("nurse-carol")
    page = client.get("/audit?patient=&user=demo&kind=refill")
    assert page.status_code == 200 and "<td>Refill recorded</td>" in page.text
    assert client.get("/audit?patient=&user=nobody&kind=").text.count("<tr><td>") == 0
    assert client.get("/audit?patient=abc").status_code == 404
