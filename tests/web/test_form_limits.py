"""Issue 17 leftover 6: the workspace refuses a request body or a form field beyond its bounds
(413, naming the field) before any route reads the form, and a form within them still works."""

from __future__ import annotations

from itbtwin.web._limits import MAX_BODY_BYTES, MAX_FIELD_CHARS, MAX_FIELDS

from .conftest import csrf_of, login_token, password


def test_issue_17_a_10_mb_text_field_is_refused_before_the_form_is_read(clinic):
    client = clinic.client("nurse-carol")
    data = {"csrf_token": csrf_of(client), "why": "x" * 10_000_000}
    response = client.post("/logout", data=data)
    assert response.status_code == 413
    assert "larger than" in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/audit").status_code == 200  # still signed in: /logout never ran


def test_issue_17_a_field_longer_than_the_cap_is_named(clinic):
    client = clinic.client("nurse-carol")
    data = {"csrf_token": csrf_of(client), "trial": "a" * (MAX_FIELD_CHARS + 1)}
    response = client.post("/logout", data=data)
    assert response.status_code == 413
    assert f"the field 'trial' holds {MAX_FIELD_CHARS + 1:,} characters" in response.text


def test_issue_17_a_million_empty_fields_are_refused(clinic):
    client = new_anonymous(clinic)
    body = "&".join(f"f{i}=" for i in range(MAX_FIELDS + 1))
    response = client.post(
        "/login", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert f"more than {MAX_FIELDS:,} fields" in response.text


def test_issue_17_a_body_without_a_length_is_cut_at_the_cap(clinic):
    client = new_anonymous(clinic)

    def chunks():  # streamed: no Content-Length, only the bytes tell
        for _ in range(MAX_BODY_BYTES // 65_536 + 2):
            yield b"a" * 65_536

    response = client.post("/login", content=chunks(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 413


def test_issue_17_a_form_within_the_bounds_is_read_as_before(clinic):
    """A sign-in with a field of exactly the longest length still signs in."""
    client = new_anonymous(clinic)
    name = "nurse-carol"
    data = {"login_token": login_token(client), "username": name, "password": password(name)}
    response = client.post(
        "/login", data=data | {"code": clinic.code(name), "note": "b" * MAX_FIELD_CHARS}
    )
    assert response.status_code == 303, response.text


def new_anonymous(clinic):  # type: ignore[no-untyped-def]
    return clinic.client(None)
