"""The dashboard, the patient page and the error boundary (issue 15): the refill queue, the
14-day calendar with closed days and holidays, patients at risk, pending changes; the device card,
the twin's plots from the local Plotly, the report; a crash is a plain page, never a traceback."""

from __future__ import annotations

import json
import re

from itbtwin import store
from itbtwin.clinic import WindowOptions
from itbtwin.display import format_days_left
from web.conftest import NOW


def test_the_dashboard_shows_the_queue_the_calendar_with_holidays_and_the_risks(clinic):
    page = clinic.client("nurse-carol").get("/").text
    assert "Refill queue" in page and "Patients at risk" in page
    days = re.findall(r"<li class=\"(open|closed|holiday)\"><strong>([^<]+)</strong>", page)
    assert len(days) == 14
    assert ("holiday", "Mon 09 Mar 2026") in days and ("holiday", "Tue 10 Mar 2026") in days
    assert ("closed", "Sat 07 Mar 2026") in days and ("open", "Mon 02 Mar 2026") in days
    with store.transaction(clinic.engine) as db:
        names = [p.identifier for p in store.list_patients(db)]
    assert any(name in page for name in names)
    assert "DEMO-" not in "".join(re.findall(r'href="([^"]+)"', page))


def test_the_dashboard_lists_a_change_waiting_for_confirmation(clinic):
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
            why="more spasms",
        )
    page = clinic.client("dr-alice").get("/").text
    assert f'href="/changes/{proposal.id}"' in page and "nurse-dan (nurse)" in page


def test_the_patient_page_has_the_device_card_the_history_and_the_twin_figures(clinic):
    with store.transaction(clinic.engine) as db:
        pump = store.implanted_pumps(db)[0]
        patient, serial = pump.patient_id, pump.serial
    client = clinic.client("nurse-carol")
    page = client.get(f"/patients/{patient}").text
    assert f"serial {serial}" in page and "Program history" in page and "Refill window" in page
    assert f'data-src="/patients/{patient}/twin.json"' in page
    twin = client.get(f"/patients/{patient}/twin.json")
    assert twin.headers["content-type"] == "application/json"
    assert twin.headers["cache-control"] == "no-store"
    figures = json.loads(twin.text)
    titles = [f["layout"]["title"]["text"] for f in figures]
    assert titles == [
        "Reservoir",
        "Dose delivered at the catheter tip",
        "Lumbar CSF concentration",
        "Muscle tone (MAS) and spasms (Penn)",
    ]
    observed = [t for t in figures[3]["data"] if t["name"].startswith("MAS observed")]
    assert observed and observed[0]["x"]
    assert '<script src="/static/plotly.min.js">' in page


def test_plotly_is_served_from_the_installed_package_not_a_cdn(clinic):
    client = clinic.client("nurse-carol")
    script = client.get("/static/plotly.min.js")
    assert script.status_code == 200 and "plotly" in script.text[:2000].lower()
    page = client.get(f"/patients/{clinic.patient_id()}").text
    assert "cdn" not in page.lower() and "https://" not in "".join(
        re.findall(r"src=\"[^\"]+\"", page)
    )


def test_the_patient_report_downloads_as_html_and_pdf(clinic):
    client = clinic.client("dr-alice")
    patient = clinic.patient_id()
    report = client.get(f"/patients/{patient}/report.html")
    assert report.status_code == 200 and "Patient report" in report.text
    pdf = client.get(f"/patients/{patient}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_web_patient_report_lists_the_record_sections_of_itbtwin_report_patient(clinic):
    """One list of sections for both faces: the web's had lost Corrections (h38)."""
    report = clinic.client("dr-alice").get(f"/patients/{clinic.patient_id()}/report.html").text
    headings = re.findall(r"<h2>([^<]*)</h2>", report)
    sections = ["Programs", "Refills", "Assessments", "Alarms and events", "Corrections"]
    assert [*sections, "Audit trail"] == headings[-7:-1], headings


def test_a_crash_is_a_plain_page_without_a_traceback_and_logged_without_its_message(
    clinic, monkeypatch, caplog
):
    from fastapi.testclient import TestClient

    from itbtwin.web import _routes_clinic

    secret = "-".join(("DEMO", "SECRET", "IDENTIFIER"))

    def broken(*_args, **_kwargs):
        raise RuntimeError(secret)

    monkeypatch.setattr(_routes_clinic, "clinic_overview", broken)
    client = TestClient(
        clinic.app,
        base_url="https://testserver",  # the session cookie is Secure
        follow_redirects=False,
        raise_server_exceptions=False,
    )
    client.cookies = clinic.client("nurse-carol").cookies
    page = client.get("/")
    assert page.status_code == 500 and "Server error" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "Traceback" not in page.text and secret not in page.text
    assert "RuntimeError" in caplog.text and secret not in caplog.text


def test_issue_15_the_queue_counts_days_from_now_not_from_the_last_fill(clinic):
    page = clinic.client("nurse-carol").get("/").text
    with store.transaction(clinic.engine) as db:
        options = WindowOptions(holidays=clinic.holidays)
        overview = store.clinic_overview(db, now=NOW, options=options)
    first = overview.due_within(14)[0]
    days = (first.dates.empty_h - first.dates.now_h) / 24
    risk = next(r for r in overview.risks if r.name == first.name)
    assert abs(risk.days_left - days) < 0.05  # the risk list and the queue agree
    row = page.split(f">{first.name}</a>", 1)[1].split("</tr>", 1)[0]
    assert f"<td>in {format_days_left(days)} days</td>" in row  # rounded as days of drug left


def test_the_twin_in_a_worker_process_draws_the_same_figures_as_in_the_server(clinic):
    from dataclasses import replace

    from itbtwin.web import _routes_patient, create_app
    from web.conftest import new_client, password, sign_in

    patient = clinic.patient_id()
    here = clinic.client("nurse-carol").get(f"/patients/{patient}/twin.json").json()
    _routes_patient._figures_cache.clear()  # the worker computes them afresh
    settings = replace(clinic.app.state.settings, plot_workers=1)
    with new_client(create_app(clinic.engine, settings)) as client:
        code = clinic.code("nurse-dan")
        assert sign_in(client, "nurse-dan", password("nurse-dan"), code).status_code == 303
        other = client.get(f"/patients/{patient}/twin.json")
    assert other.status_code == 200 and other.json() == here


def test_without_the_pdf_engine_the_pdf_link_says_so_and_offers_the_html_report(
    clinic, monkeypatch
):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` fails
    client = clinic.client("nurse-carol")
    patient = clinic.patient_id()
    page = client.get(f"/patients/{patient}/report.pdf")
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert "The PDF report cannot be made on this server" in page.text
    assert f'href="/patients/{patient}/report.html"' in page.text
    assert "WeasyPrint cannot load" in page.text and "Traceback" not in page.text
    assert client.get(f"/patients/{patient}/report.html").status_code == 200
