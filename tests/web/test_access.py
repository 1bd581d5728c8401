"""The access matrix (issue 15): every route × every role and anonymous → the expected status.

Anonymous visitors are sent to the sign-in page (303); another role's page is 403; a clinician's
POST with an empty form is 400 (the form re-rendered with its messages, nothing stored).
"""

from __future__ import annotations

import pytest

from itbtwin import store
from web.conftest import NOW, csrf_of

CLINICIAN_GETS = (
    "/",
    "/patients",
    "/patients/{patient}",
    "/patients/{patient}/twin.json",
    "/patients/{patient}/program",
    "/patients/{patient}/refill",
    "/patients/{patient}/card",
    "/patients/{patient}/assess",
    "/patients/{patient}/book",
    "/patients/{patient}/event",
    "/changes/{change}",
    "/audit",
)
RESEARCH_GETS = ("/trials", "/trials/{trial}", "/cohort")
PHYSICIAN_ROUTES = ("/clinic",)
"""Physicians only: GET the form, POST it (empty: nothing to change, 400)."""
CLINICIAN_POSTS = (
    "/patients/{patient}/program/review",
    "/patients/{patient}/program/propose",
    "/changes/{change}/decline",
    "/patients/{patient}/refill",
    "/patients/{patient}/assess",
    "/patients/{patient}/book",
    "/patients/{patient}/event",
)
EXPECTED = {
    # role: (clinician GET, research GET, clinician POST with an empty form, trials POST,
    # physicians' GET, physicians' POST with an empty form)
    "physician": (200, 200, 400, 400, 200, 400),
    "nurse": (200, 403, 400, 403, 403, 403),
    "researcher": (403, 200, 403, 400, 403, 403),
}
NAMES = {"physician": "dr-alice", "nurse": "nurse-carol", "researcher": "res-erin"}


def _ids(clinic) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        pump = store.implanted_pumps(db)[0]
        current = store.version_at(pump, NOW).mean_daily_dose_mcg
        proposal, _ = store.propose_program(
            db,
            "nurse-dan",
            "nurse",
            pump,
            {"mode": "continuous", "daily_dose": f"{current * 1.05!r} mcg/day"},
            now=NOW,
            why="more spasms at night",
        )
        trial = store.TrialRun(
            requested_by="res-erin", requested_at=NOW, spec={"name": "t"}, state="queued"
        )
        db.add(trial)
        db.flush()
        return {"patient": pump.patient_id, "change": proposal.id, "trial": trial.id}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_reaches_its_own_pages_and_is_refused_the_others(clinic, role):
    ids = _ids(clinic)
    client = clinic.client(NAMES[role])
    csrf = csrf_of(client, "/trials" if role == "researcher" else "/audit")
    get_clinic, get_research, post_clinic, post_trial, get_own, post_own = EXPECTED[role]
    found = {}
    for path in CLINICIAN_GETS:
        found[("GET", path)] = client.get(path.format(**ids)).status_code
    for path in RESEARCH_GETS:
        found[("GET", path)] = client.get(path.format(**ids)).status_code
    for path in CLINICIAN_POSTS:
        found[("POST", path)] = client.post(
            path.format(**ids), data={"csrf_token": csrf}
        ).status_code
    found[("POST", "/trials")] = client.post("/trials", data={"csrf_token": csrf}).status_code
    for path in PHYSICIAN_ROUTES:
        found[("GET", path)] = client.get(path).status_code
        found[("POST", path)] = client.post(path, data={"csrf_token": csrf}).status_code
    expected = {("GET", p): get_clinic for p in CLINICIAN_GETS}
    expected |= {("GET", p): get_research for p in RESEARCH_GETS}
    expected |= {("POST", p): post_clinic for p in CLINICIAN_POSTS}
    expected[("POST", "/trials")] = post_trial
    expected |= {("GET", p): get_own for p in PHYSICIAN_ROUTES}
    expected |= {("POST", p): post_own for p in PHYSICIAN_ROUTES}
    if role == "researcher":
        expected[("GET", "/")] = 303  # a researcher's home is the trials page
    assert found == expected
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_route(clinic):
    ids = _ids(clinic)
    client = clinic.client()
    for path in CLINICIAN_GETS + RESEARCH_GETS + PHYSICIAN_ROUTES:
        response = client.get(path.format(**ids))
        assert (response.status_code, response.headers["location"]) == (303, "/login"), path
    for path in (
        *CLINICIAN_POSTS,
        *PHYSICIAN_ROUTES,
        "/changes/{change}/confirm",
        "/trials",
        "/logout",
    ):
        response = client.post(path.format(**ids), data={})
        assert (response.status_code, response.headers["location"]) == (303, "/login"), path


def test_confirming_follows_the_second_person_rule_for_each_role(clinic):
    ids = _ids(clinic)
    path = f"/changes/{ids['change']}/confirm"
    for name, status in (("res-erin", 403), ("nurse-dan", 400), ("nurse-carol", 400)):
        client = clinic.client(name)
        home = "/trials" if name == "res-erin" else "/audit"
        assert client.post(path, data={"csrf_token": csrf_of(client, home)}).status_code == status
    physician = clinic.client("dr-alice")
    assert physician.post(path, data={"csrf_token": csrf_of(physician)}).status_code == 303


@pytest.mark.parametrize(
    "path",
    ["/patients/999999", "/changes/999999", "/trials/999999", "/patients/abc", "/nowhere"],
)
def test_unknown_ids_are_404(clinic, path):
    client = clinic.client("dr-alice")
    assert client.get(path).status_code == 404


def test_reports_are_for_clinicians_and_trial_reports_for_researchers(clinic):
    ids = _ids(clinic)
    reports = [f"/patients/{ids['patient']}/report.html", f"/patients/{ids['patient']}/report.pdf"]
    researcher, nurse, anonymous = (
        clinic.client("res-erin"),
        clinic.client("nurse-carol"),
        clinic.client(),
    )
    for path in reports:
        assert researcher.get(path).status_code == 403
        assert anonymous.get(path).status_code == 303
    trial_report = f"/trials/{ids['trial']}/report"
    assert nurse.get(trial_report).status_code == 403
    assert anonymous.get(trial_report).status_code == 303
    assert researcher.get(trial_report).status_code == 404  # queued: no report yet
