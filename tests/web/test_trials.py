"""The researchers' trials page (issue 15): a trial is queued, runs outside the request with its
progress shown, and its report opens when done; oversized or malformed trials are refused."""

from __future__ import annotations

import time

from itbtwin.web._routes_trials import EXAMPLE
from itbtwin.web._trials import MAX_PATIENTS
from web.conftest import csrf_of

SMALL = EXAMPLE.replace("size = 2_000", "size = 200").replace(
    "duration_days = 30", "duration_days = 3"
)


def test_a_queued_trial_runs_outside_the_request_and_its_report_opens_when_done(clinic):
    client = clinic.client("res-erin")
    queued = client.post("/trials", data={"csrf_token": csrf_of(client, "/trials"), "trial": SMALL})
    assert queued.status_code == 303
    page = queued.headers["location"]
    for _ in range(600):  # at most 60 s
        text = client.get(page).text
        if "<strong>done</strong>" in text or "<strong>failed</strong>" in text:
            break
        time.sleep(0.1)
    assert "<strong>done</strong>" in text, text
    assert "200 patients" in text
    report = client.get(f"{page}/report")
    assert report.status_code == 200 and "<title>Lumbar CSF on 500 mcg/day" in report.text


def test_a_trial_too_large_for_the_workspace_is_refused_on_its_field(clinic):
    client = clinic.client("res-erin")
    big = EXAMPLE.replace("size = 2_000", "size = 1_000_000")
    form = client.get("/trials").text
    assert f"up to {MAX_PATIENTS:,} patients" in form
    page = client.post("/trials", data={"csrf_token": csrf_of(client, "/trials"), "trial": big})
    assert page.status_code == 400
    field = page.text.split('<span class="field-error">', 1)[1].split("</span>", 1)[0]
    assert field == (
        f"the workspace runs trials of up to {MAX_PATIENTS:,} patients (this one has "
        "1,000,000); run larger ones with `itbtwin trial run`"
    )
    assert "size = 1_000_000" in page.text  # the form keeps what was typed


def test_a_malformed_trial_is_refused_with_what_is_wrong(clinic):
    client = clinic.client("res-erin")
    page = client.post(
        "/trials", data={"csrf_token": csrf_of(client, "/trials"), "trial": "name = [unclosed"}
    )
    assert page.status_code == 400 and "not valid TOML" in page.text
