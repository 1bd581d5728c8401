"""Issue 15: the workspace as a nurse and a physician read it. Audit actions in words (the keys
stay in `--json`), column headers capitalised, the store's messages in the one date format, one
rounding of days of drug left, and the window with no refill day left said as a clinician would."""

from __future__ import annotations

import json
import re
import subprocess
import time
from datetime import date, datetime
from pathlib import Path

import pyotp
import pytest

from itbtwin import clinic as clinic_rules
from itbtwin import store
from itbtwin.audit_labels import AUDIT_ACTIONS, audit_action, audit_kind
from itbtwin.display import format_days_left
from itbtwin.web._filters import no_day_left, refill_window
from web.conftest import csrf_of
from web.test_access import NAMES
from web.test_readable import _pages, _records, visible_text
from web.test_records import _refill

STORE = Path(__file__).parents[2] / "src" / "itbtwin" / "store"
WRITTEN = re.compile(r'audit\(\s*session,\s*[\w.]+,\s*(f?)"([^"]+)"')
"""An action key where the store writes an audit entry (`audit(session, actor, "refill.record"`)."""
EXPANDED = {
    "{table}.void": ("refill.void", "assessment.void", "event.void", "program_version.void"),
    "program.{proposal.state}": ("program.withdrawn", "program.declined"),
}
"""The keys the store makes from f-strings (`void_entry`'s tables, a proposal's end states)."""


def test_issue_15_every_action_the_store_writes_has_a_clinicians_label():
    written = {m for f in STORE.glob("*.py") for m in WRITTEN.findall(f.read_text())}
    keys = {key for fstring, key in written if not fstring}
    for fstring, key in written:
        if fstring:
            keys |= set(EXPANDED[key])  # a new f-string key is a KeyError: name its expansions
    assert len(keys) > 25 and keys <= set(AUDIT_ACTIONS), keys - set(AUDIT_ACTIONS)
    labels = list(AUDIT_ACTIONS.values())
    assert len(set(labels)) == len(labels) and all(label[0].isupper() for label in labels)


def test_issue_15_an_unknown_action_of_an_imported_trail_is_spelt_out_not_shown_as_a_key():
    assert audit_action("refill.record") == "Refill recorded"
    assert audit_action("pump.eri_check") == "Pump: ERI check"
    assert audit_action("legacy") == "Legacy"
    assert (audit_kind("refill"), audit_kind("program_version")) == ("Refills", "Program versions")


def test_issue_15_the_audit_view_shows_actions_and_kinds_in_words(clinic):
    client = clinic.client(NAMES["nurse"])
    assert _refill(client, clinic.patient_id()).status_code == 200
    page = client.get("/audit").text
    rows = re.findall(r"<tr><td>\d+</td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>", page)
    assert ("nurse-carol", "Refill recorded") in rows
    assert all(action in AUDIT_ACTIONS.values() for _, action in rows), rows
    assert '<option value="refill" >Refills</option>' in page
    assert "refill.record" not in visible_text(page)
    assert "Refill recorded" in client.get("/audit?kind=refill").text


def test_issue_15_the_cli_audit_lists_actions_in_words_and_its_json_keeps_the_keys(
    clinic, cli, wide_console
):
    _refill(clinic.client(NAMES["nurse"]), clinic.patient_id())
    url = clinic.engine.url.render_as_string(hide_password=False)
    table = cli("audit", "--database", url)
    assert table.exit_code == 0 and "Refill recorded" in table.output
    assert "refill.record" not in table.output
    entries = json.loads(cli("audit", "--database", url, "--json").output)["entries"]
    assert entries[-1]["action"] == "refill.record"


@pytest.mark.parametrize("role", ["physician", "researcher"])
def test_issue_15_every_column_header_starts_with_a_capital(clinic, role):
    pages = _pages(clinic.client(NAMES[role]), role, _records(clinic))
    headers = {
        (path, h)
        for path, page in pages.items()
        for h in re.findall(r"<th[^>]*>\s*([^<]*)", page)
        if h and not (h[0].isupper() or h[0] in "#0123456789")
    }
    assert headers == set()


def test_issue_15_a_second_refill_in_the_same_minute_is_refused_in_the_one_date_format(clinic):
    client = clinic.client(NAMES["nurse"])
    patient = clinic.patient_id()
    assert _refill(client, patient, performed_at="2026-03-02 08:30").status_code == 200
    again = _refill(client, patient, performed_at="2026-03-02 08:30")
    assert again.status_code == 400
    message = re.search(r'class="field-error">([^<]*)', again.text).group(1)
    assert "already has a refill at Mon 02 Mar 2026 08:30: one visit is one refill" in message


@pytest.mark.parametrize(
    ("days", "shown"),
    [(3.79, "3.8"), (3.75, "3.8"), (4.01, "4"), (12.0, "12"), (0.02, "under 0.1"), (None, "-")],
)
def test_issue_15_days_of_drug_left_are_rounded_to_one_decimal(days, shown):
    assert format_days_left(days) == shown


def test_issue_15_an_empty_reservoir_says_since_when_not_a_negative_number():
    assert format_days_left(-1.5) == "none, empty 36 h"
    assert format_days_left(-3.0) == "none, empty 3 days"


def test_issue_15_the_dashboards_days_of_drug_left_read_as_its_reasons_do(clinic):
    page = clinic.client(NAMES["physician"]).get("/").text
    at_risk = page.split("<h2>Patients at risk</h2>")[1]
    rows = re.findall(
        r'<td><span class="badge[^>]*>[^<]*</span></td><td>([^<]*)</td>(.*?)</tr>', at_risk, re.S
    )
    said = [(cell, re.search(r"([\d.]+|under 0\.1) days of drug left", r)) for cell, r in rows]
    checked = [(cell, found.group(1)) for cell, found in said if found]
    assert checked and all(cell == reason for cell, reason in checked), checked


def _window(limited_by: str, latest: date | None, action: str | None) -> clinic_rules.RefillWindow:
    deadline = datetime(2026, 3, 6, 9)
    return clinic_rules.RefillWindow(deadline, limited_by, None, latest, (), action)


def test_issue_15_a_window_with_no_day_left_says_what_to_do_as_a_clinician_writes_it():
    eri = _window("eri", None, "replace the pump (ERI reached on Mon 02 Mar 2026)")
    assert refill_window(eri) == "Replace the pump (ERI reached on Mon 02 Mar 2026)"
    assert no_day_left(_window("low_reservoir", None, "refill now")) == "Overdue: refill now"
    opened = _window("empty", date(2026, 3, 5), None)
    assert refill_window(opened) == "today to Thu 05 Mar 2026"
    assert "now to" not in refill_window(opened)


@pytest.mark.parametrize(
    ("hours", "said"), [(0.0, "under an hour ago"), (0.4, "under an hour ago"), (12, "12 h ago")]
)
def test_issue_15_a_raise_too_soon_says_when_the_last_change_was_in_words(hours, said):
    check = clinic_rules.check_step(
        250, 275, origin="spinal", age_years=40, hours_since_last_change=hours
    )
    (soon,) = [r for r in check.reasons if r.rule == "step_too_soon"]
    assert soon.text.startswith(f"the last change was {said}; raise at most once per 24 h")


def test_issue_15_the_demo_prints_a_code_command_that_runs_where_itbtwin_runs(tmp_path):
    from itbtwin.cli._serve import demo_clinic

    _, _, printed = demo_clinic(tmp_path, size=8)
    text = printed["nurse-demo"]
    secret = re.search(r"TOTP secret (\w+)", text).group(1)
    command = re.search(r"print the code now: (.+)\)$", text, re.S).group(1)
    shown = subprocess.run(command, shell=True, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() in {
        pyotp.TOTP(secret).now(),
        pyotp.TOTP(secret).at(time.time() - 30),
    }


def test_issue_15_a_proposed_change_waits_in_words_and_its_proposer_withdraws_it(clinic):
    from web.test_wizard import _propose

    patient = clinic.patient_id()
    nurse = clinic.client(NAMES["nurse"])
    page = _propose(nurse, patient, "180 mcg/day")
    assert page.status_code == 303, page.text
    mine = nurse.get(page.headers["location"]).text
    assert "· waiting for confirmation</small>" in mine and "· pending" not in mine
    assert "Waiting for another clinician to confirm it: a change is confirmed by a second" in mine
    assert "Why withdraw your change" in mine and ">Withdraw</button>" in mine
    theirs = clinic.client(NAMES["physician"]).get(page.headers["location"]).text
    assert "Why decline it" in theirs and ">Decline</button>" in theirs


def test_issue_15_the_audit_view_says_which_pump_a_proposal_is_for_and_dashes_empty_text(clinic):
    from web.test_wizard import _propose

    patient = clinic.patient_id()
    nurse = clinic.client(NAMES["nurse"])
    assert _propose(nurse, patient, "180 mcg/day").status_code == 303
    form = {"csrf_token": csrf_of(nurse), "muscle_0": "hip adductors L", "grade_0": "1"}
    assert nurse.post(f"/patients/{patient}/assess", data=form).status_code == 303
    with store.transaction(clinic.engine) as db:
        serial = store.implanted_pumps(db)[0].serial
    rows = nurse.get("/audit", params={"user": "nurse-carol"}).text.split("<tr>")[2:]
    assessed, proposed = (visible_text(r) for r in rows[:2])
    assert "Assessment recorded" in assessed and "Adverse effects: -" in assessed
    assert "Program change proposed" in proposed
    assert f"Pump serial: {serial}" in proposed, proposed
    assert "Program: Continuous, 180 mcg/day at 500 mcg/mL" in proposed  # h39: a program in words
    assert "Mean daily dose: 155 → 180 mcg/day" in proposed


def test_issue_15_an_empty_expiry_is_required_like_every_other_field_and_a_wrong_one_says_the_form(
    clinic,
):
    client = clinic.client(NAMES["nurse"])
    patient = clinic.patient_id()

    def message(expiry: str) -> str:
        page = _refill(client, patient, expiry=expiry)
        assert page.status_code == 400
        field = page.text.split('name="expiry"', 1)[1]
        return re.search(r'class="field-error">([^<]*)', field).group(1)

    assert message("") == "required"
    assert message("31/01/2027") == "the product&#39;s expiry date &#34;YYYY-MM-DD&#34;"


def test_issue_15_every_count_of_days_on_the_dashboard_has_one_decimal_at_most(clinic):
    text = visible_text(clinic.client(NAMES["physician"]).get("/").text)
    days = re.findall(r"(\d+(?:\.\d+)?) days", text)
    assert days and all(len(d.partition(".")[2]) <= 1 for d in days), days


def test_issue_15_the_patient_reports_audit_table_reads_who_did_what_and_when_in_utc(clinic):
    client = clinic.client(NAMES["nurse"])
    report = client.get(f"/patients/{clinic.patient_id()}/report.html").text
    audit = visible_text(report.split(">Audit trail</h2>")[-1])
    assert " ".join(audit.split()[:6]) == "When (UTC) Who Action What Why"  # What: h41
    assert "Pump implanted" in audit and "pump.implant" not in audit


def test_issue_15_a_confirmed_change_is_said_on_the_patient_page_it_returns_to(clinic):
    from web.test_wizard import _propose

    patient = clinic.patient_id()
    change = _propose(clinic.client(NAMES["nurse"]), patient, "180 mcg/day").headers["location"]
    physician = clinic.client(NAMES["physician"])
    done = physician.post(f"{change}/confirm", data={"csrf_token": csrf_of(physician)})
    with store.transaction(clinic.engine) as db:
        version = db.get(store.Patient, patient).pumps[-1].programs[-1].version
    assert done.headers["location"] == f"/patients/{patient}?confirmed={version}"
    page = physician.get(done.headers["location"]).text
    assert f"confirmed and stored as version {version} of the pump's program" in page
    plain = physician.get(f"/patients/{patient}?confirmed=<b>").text
    assert "confirmed and stored" not in plain and "<b>" not in plain
