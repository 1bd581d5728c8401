"""Recording a pump event on the web (h39): the patient page's form records an alarm or a fault,
and for a wrong concentration the concentration found programmed, parsed with its unit and
within a concentration's bounds; CSRF and the audit row as on every other form; a refused form
says why on its field and changes nothing."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from itbtwin import store
from web.conftest import csrf_of


def _counts(clinic) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Events and audit entries stored, to show a refused form changed nothing."""
    with store.transaction(clinic.engine) as db:
        events = db.scalar(select(func.count(store.EventRecord.id)))
        audits = db.scalar(select(func.count(store.AuditEntry.id)))
    return events or 0, audits or 0


def _post(client, patient: int, **fields: str):  # type: ignore[no-untyped-def]
    form = {"csrf_token": csrf_of(client), "kind": "wrong_concentration"}
    form |= {"occurred_at": "", "detail": "programmer read 0.5 mg/mL"}
    return client.post(f"/patients/{patient}/event", data=form | fields)


def test_a_wrong_concentration_is_recorded_with_its_programmed_value_and_audited(clinic):
    patient = clinic.patient_id()
    nurse = clinic.client("nurse-carol")
    assert "Record a pump event" in nurse.get(f"/patients/{patient}").text
    form = nurse.get(f"/patients/{patient}/event").text
    assert '<option value="wrong_concentration" >wrong concentration</option>' in form
    found_at = (clinic.clock.clinic - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    when = f"{found_at:%Y-%m-%d %H:%M}"
    response = _post(nurse, patient, programmed="0.5 mg/mL", occurred_at=when)  # 500 mcg/mL
    assert response.status_code == 303, response.text
    with store.transaction(clinic.engine) as db:
        pump = store.implanted_pumps(db)[0]
        event = pump.events[-1]
        assert (event.kind, event.programmed_mcg_per_ml) == ("wrong_concentration", 500.0)
        assert event.occurred_at == found_at
        entry = store.audit_trail(db, "pump", pump.id)[-1]
        assert (entry.actor, entry.action) == ("nurse-carol", "event.record")
        assert entry.what["programmed_mcg_per_ml"] == 500.0
    audit = nurse.get("/audit").text
    assert "Programmed concentration (mcg/mL): 500" in html.unescape(audit)


def test_an_event_without_a_programmed_value_is_recorded_without_one(clinic):
    patient = clinic.patient_id()
    nurse = clinic.client("nurse-carol")
    response = _post(nurse, patient, kind="low_reservoir", detail="alarm heard at home")
    assert response.status_code == 303, response.text
    with store.transaction(clinic.engine) as db:
        event = store.implanted_pumps(db)[0].events[-1]
        assert (event.kind, event.programmed_mcg_per_ml) == ("low_reservoir", None)


@pytest.mark.parametrize(
    ("fields", "field", "named"),
    [
        ({"programmed": "500 mcg/day"}, "programmed", "mcg/mL"),
        ({"programmed": "20000 mcg/mL"}, "programmed", "1-10,000 mcg/mL"),
        ({"programmed": "500"}, "programmed", "unit"),
        ({"kind": "occlusion", "programmed": "500 mcg/mL"}, "programmed", "only for a wrong"),
        ({"kind": "catheter_kink", "programmed": "", "share": "30"}, "share", "percentage"),
        ({"kind": "catheter_kink", "programmed": "", "share": "130 %"}, "share", "at most 100"),
        ({"programmed": "", "share": "30 %"}, "share", "only for a catheter fault"),
        ({"kind": "gremlins"}, "kind", "unknown event kind"),
        ({"kind": ""}, "kind", "required"),
        ({"occurred_at": "2030-01-01 10:00"}, "occurred_at", "future"),
        ({"occurred_at": "yesterday"}, "occurred_at", "YYYY-MM-DD HH:MM"),
    ],
)
def test_a_refused_event_says_why_on_its_field_and_changes_nothing(clinic, fields, field, named):
    patient = clinic.patient_id()
    nurse = clinic.client("nurse-carol")
    before = _counts(clinic)
    page = _post(nurse, patient, **fields)
    assert page.status_code == 400
    message = html.unescape(page.text.split('class="field-error">', 1)[1].split("<")[0])
    assert named in message, message
    assert page.text.index('class="field-error"') > page.text.index(f'name="{field}"')
    assert _counts(clinic) == before


def test_an_event_without_the_forms_csrf_token_is_refused_and_changes_nothing(clinic):
    patient = clinic.patient_id()
    nurse = clinic.client("nurse-carol")
    before = _counts(clinic)
    response = nurse.post(
        f"/patients/{patient}/event",
        data={"kind": "wrong_concentration", "programmed": "500 mcg/mL"},
    )
    assert response.status_code == 403
    assert _counts(clinic) == before


def test_the_patient_page_and_the_report_tables_show_what_each_fault_measured(clinic):
    patient = clinic.patient_id()
    nurse = clinic.client("nurse-carol")
    assert _post(nurse, patient, programmed="1000 mcg/mL").status_code == 303
    kink = _post(nurse, patient, kind="catheter_kink", programmed="", share="30 %")
    assert kink.status_code == 303, kink.text
    page = html.unescape(nurse.get(f"/patients/{patient}").text)
    assert "Programmed concentration (mcg/mL)" in page
    assert (
        "<td>wrong concentration</td><td>programmer read 0.5 mg/mL</td><td>-</td><td>1000</td>"
        in page
    )
    with store.transaction(clinic.engine) as db:
        found = store.patient_tables(db, db.get(store.Patient, patient))["events"]
    wrong = [e for e in found if e["kind"] == "wrong_concentration"][-1]
    assert wrong["programmed_mcg_per_ml"] == 1000.0 and "flow_affected_pct" not in wrong
    kinked = [e for e in found if e["kind"] == "catheter_kink"][-1]
    assert kinked["flow_affected_pct"] == 30.0 and "programmed_mcg_per_ml" not in kinked
    # the share with its % sign under "Flow affected", as the audit view shows it (h41)
    assert "<td>catheter kink</td><td>programmer read 0.5 mg/mL</td><td>30%</td><td>-</td>" in page
