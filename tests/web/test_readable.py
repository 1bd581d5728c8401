"""What a clinician reads (issue 15 pt 1, the project's display rule): every page of the demo
clinic, read by each role, shows moments in the one date format, plain numbers, words for yes and
no, and counts with their noun in the right number. Checked on the text a person sees (the page
without its tags, scripts and the values typed into form fields, which keep machine formats)."""

from __future__ import annotations

import html
import re

import pytest

from itbtwin import store
from web.conftest import NOW, csrf_of

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


def _records(clinic) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A pending program change, a queued trial and an override, so each page has rows."""
    with store.transaction(clinic.engine) as db:
        pump = store.implanted_pumps(db)[0]
        dose = store.version_at(pump, NOW).mean_daily_dose_mcg
        proposal, _ = store.propose_program(
            db,
            "nurse-dan",
            "nurse",
            pump,
            {"mode": "continuous", "daily_dose": f"{dose * 1.05!r} mcg/day"},
            now=NOW,
            why="more spasms at night",
        )
        trial = store.TrialRun(
            requested_by="res-erin", requested_at=NOW, spec={"name": "t"}, state="queued"
        )
        db.add(trial)
        db.flush()
        patients = [p.id for p in store.list_patients(db)]
        return {"patient": pump.patient_id, "change": proposal.id, "trial": trial.id} | {
            "patients": patients  # type: ignore[dict-item]
        }


CLINICIAN_PAGES = (
    "/",
    "/patients",
    "/patients/{patient}/program",
    "/patients/{patient}/refill",
    "/patients/{patient}/card",
    "/patients/{patient}/assess",
    "/patients/{patient}/book",
    "/changes/{change}",
    "/audit",
    "/clinic",
)
RESEARCH_PAGES = ("/trials", "/trials/{trial}", "/cohort")
NAMES = {"physician": "dr-alice", "nurse": "nurse-carol", "researcher": "res-erin"}


def _pages(client, role: str, ids: dict) -> dict[str, str]:  # type: ignore[no-untyped-def,type-arg]
    """Each page the role may open, by path, as the role reads it."""
    paths = ["/account"]
    if role != "researcher":
        paths += [p.format(**ids) for p in CLINICIAN_PAGES]
        paths += [f"/patients/{pid}" for pid in ids["patients"]]
    if role != "nurse":
        paths += [p.format(**ids) for p in RESEARCH_PAGES]
    found = {}
    for path in paths:
        response = client.get(path)
        if path == "/clinic" and role == "nurse":
            assert response.status_code == 403, path
        else:
            assert response.status_code == 200, path
        found[path] = response.text
    return found


def _forms(client, patient: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The answers a clinician reads after a form: the wizard's review, a refill's
    reconciliation, and a form re-rendered with its messages."""
    csrf = csrf_of(client)
    refill = {
        "csrf_token": csrf,
        "expected": "5 mL",
        "withdrawn": "5 mL",
        "injected": "18 mL",
        "measured": "14 mL",
        "concentration": "500 mcg/mL",
        "product": "Lioresal Intrathecal",
        "lot": "L123",
        "expiry": "2027-01-31",
    }
    review = {"csrf_token": csrf, "daily_dose": "180 mcg/day", "phase": "titration"}
    return {
        "review": client.post(f"/patients/{patient}/program/review", data=review).text,
        "refill done": client.post(f"/patients/{patient}/refill", data=refill).text,
        "refill refused": client.post(
            f"/patients/{patient}/refill", data=refill | {"expiry": "2020-01-01"}
        ).text,
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
