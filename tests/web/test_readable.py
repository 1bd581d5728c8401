"""What a clinician reads (issue 15 pt 1, the project's display rule): every page of the demo
clinic, read by each role, shows moments in the one date format, plain numbers, words for yes and
no, and counts with their noun in the right number. Checked on the text a person sees (the page
without its tags, scripts and the values typed into form fields, which keep machine formats)."""

from __future__ import annotations

import html
import re

import pytest

from itbtwin import store
from web.conftest import csrf_of
from web.test_access import (
    CLINICIAN_GETS,
    NAMES,
    PHYSICIAN_ROUTES,
    RESEARCH_GETS,
    _ids,
)
from web.test_records import _refill

NOT_FOR_PEOPLE = {
    "an ISO timestamp": re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"),
    "an ISO date": re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])"),
    "a Python value": re.compile(r"\b(True|False|None|nan)\b"),
    "scientific notation": re.compile(r"\d(\.\d+)?[eE][+-]?\d"),
    "a float's noise": re.compile(r"\d\.\d{7,}"),
    "a plural in brackets": re.compile(r"\w\(s\)"),
    "a machine key": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "a Python container": re.compile(r"[{\[]'"),
}
"""What a page must never show a person, each with a pattern that finds it."""


def visible_text(page: str) -> str:
    """The page as read: no script or style, no text typed into a form, no tags or attributes."""
    page = re.sub(r"(?is)<(script|style|textarea)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]*>", " ", page))


def unreadable(page: str) -> dict[str, list[str]]:
    """What of `NOT_FOR_PEOPLE` the page shows, each hit with the words around it."""
    text = " ".join(visible_text(page).split())
    found = {
        name: [text[max(0, m.start() - 25) : m.end() + 10] for m in pattern.finditer(text)]
        for name, pattern in NOT_FOR_PEOPLE.items()
    }
    return {name: hits for name, hits in found.items() if hits}


def test_the_checker_finds_each_unreadable_value():
    page = "<td>2026-12-07T09:00:00</td><td>0.6400000001</td><td>False</td><td>1.2e+03</td>"
    assert set(unreadable(page)) == {
        "an ISO timestamp",
        "a Python value",
        "scientific notation",
        "a float's noise",
    }
    assert set(unreadable("<td>2026-12-07</td>")) == {"an ISO date"}
    assert set(unreadable("<td>3 pump(s)</td><td>low_reservoir</td><td>{'a': 1}</td>")) == {
        "a plural in brackets",
        "a machine key",
        "a Python container",
    }
    readable = '<input value="2026-03-05"><td>Mon 07 Dec 2026 09:00</td><td>0.64 mL</td>'
    assert unreadable(readable + "<script>var x = 1e-3, y = null_value;</script>") == {}


def _records(clinic) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A pending program change and a queued trial (the access matrix's), and every patient."""
    with store.transaction(clinic.engine) as db:
        patients = [p.id for p in store.list_patients(db)]
    return _ids(clinic) | {"patients": patients}


def _pages(client, role: str, ids: dict) -> dict[str, str]:  # type: ignore[no-untyped-def,type-arg]
    """Each page of the access matrix that the role may open (every patient's page), by path."""
    paths = ["/account"]
    if role != "researcher":
        paths += [p.format(**ids) for p in CLINICIAN_GETS if not p.endswith(".json")]
        paths += [f"/patients/{pid}" for pid in ids["patients"]]
    if role == "physician":
        paths += PHYSICIAN_ROUTES
    if role != "nurse":
        paths += [p.format(**ids) for p in RESEARCH_GETS]
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        found[path] = response.text
    return found


def _forms(client, patient: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The answers a clinician reads after a form: the wizard's review, a refill's
    reconciliation, and a form re-rendered with its messages."""
    review = {"csrf_token": csrf_of(client), "daily_dose": "180 mcg/day", "phase": "titration"}
    return {
        "review": client.post(f"/patients/{patient}/program/review", data=review).text,
        "refill done": _refill(client, patient, measured="14 mL").text,  # a pocket fill
        "refill refused": _refill(client, patient, expiry="2020-01-01").text,
    }


@pytest.mark.parametrize("role", NAMES)
def test_every_page_reads_in_the_one_date_format_with_plain_numbers_and_words(clinic, role):
    ids = _records(clinic)
    client = clinic.client(NAMES[role])
    pages = _pages(client, role, ids)
    if role != "researcher":
        pages |= _forms(client, ids["patient"])
        pages["audit after the forms"] = client.get("/audit").text
    pages["sign-in"] = clinic.client().get("/login").text
    problems = [
        f"{path}: {kind} {sorted(set(hits))[:4]}"
        for path, page in pages.items()
        for kind, hits in unreadable(page).items()
    ]
    assert problems == [], "\n".join(problems)
