"""The program-change wizard (issue 15): review side by side, a second person's confirmation
before anything is stored, overrides by physicians only, and the known entry errors caught."""

from __future__ import annotations

import re

from sqlalchemy import select

from itbtwin import store
from itbtwin.display import format_number
from web.conftest import NOW, csrf_of


def _pump(clinic):  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        pump = store.implanted_pumps(db)[0]
        version = store.version_at(pump, NOW)
        return pump.patient_id, pump.id, version.mean_daily_dose_mcg, len(pump.programs)


def _versions(clinic, pump_id: int) -> list[store.ProgramVersion]:  # type: ignore[no-untyped-def]
    with store.transaction(clinic.engine) as db:
        query = select(store.ProgramVersion).where(store.ProgramVersion.pump_id == pump_id)
        return list(db.scalars(query.order_by(store.ProgramVersion.version)))


def _propose(client, patient: int, dose: str, why="spasms at night", **extra):  # type: ignore[no-untyped-def]
    form = {"csrf_token": csrf_of(client), "daily_dose": dose, "phase": "titration", "why": why}
    return client.post(f"/patients/{patient}/program/propose", data=form | extra)


def test_the_review_shows_current_and_proposed_side_by_side_and_stores_nothing(clinic):
    patient, pump, dose, count = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    form = {"csrf_token": csrf_of(nurse), "daily_dose": f"{dose * 1.05:.1f} mcg/day"}
    page = nurse.post(f"/patients/{patient}/program/review", data=form | {"phase": "titration"})
    assert page.status_code == 200
    typed = f"{dose * 1.05:.1f}".removesuffix(".0")  # a daily dose under 1,000 mcg/day
    side_by_side = page.text.split("Daily total", 1)[1].split("</tr>", 1)[0]
    assert side_by_side == (
        f"</th><td>{format_number(dose, 'mcg/day', 4)}</td>"
        f"<td>{typed} mcg/day</td>"  # as typed: 4 significant digits
    )
    assert "Dry run, 72 h" in page.text and "Low-reservoir alarm" in page.text
    times = re.findall(r"<tr><td>([^<]+)</td>", page.text.split("Dry run, 72 h", 1)[1])
    after_two_days = ["48 h", "2.3 days", "2.5 days", "2.8 days", "3 days"]  # one decimal
    assert times[:2] == ["0 h", "6 h"] and times[8:] == after_two_days  # days past 48 h
    assert len(_versions(clinic, pump)) == count


def test_a_nurses_change_is_stored_only_when_a_physician_confirms_it(clinic):
    patient, pump, dose, count = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    proposed = _propose(nurse, patient, f"{dose * 1.05:.1f} mcg/day")
    assert proposed.status_code == 303
    change = proposed.headers["location"]
    assert len(_versions(clinic, pump)) == count
    page = nurse.get(change)
    assert "confirmed by a second person" in page.text and "Confirm and store" not in page.text
    assert nurse.post(f"{change}/confirm", data={"csrf_token": csrf_of(nurse)}).status_code == 400
    assert clinic.client("nurse-dan").get(change).text.count("confirmed by a physician") == 1
    physician = clinic.client("dr-alice")
    assert "Confirm and store" in physician.get(change).text
    done = physician.post(f"{change}/confirm", data={"csrf_token": csrf_of(physician)})
    assert done.status_code == 303
    versions = _versions(clinic, pump)
    assert len(versions) == count + 1
    assert versions[-1].entered_by == "dr-alice"
    assert abs(versions[-1].mean_daily_dose_mcg - round(dose * 1.05, 1)) < 1e-9
    with store.transaction(clinic.engine) as db:
        trail = [(e.actor, e.action) for e in store.audit_trail(db, "pump", pump)][-3:]
    assert trail == [
        ("nurse-carol", "program.propose"),
        ("dr-alice", "program.set"),
        ("dr-alice", "program.confirm"),
    ]


def test_a_physicians_change_is_confirmed_by_another_clinician(clinic):
    patient, pump, dose, _count = _pump(clinic)
    change = _propose(clinic.client("dr-alice"), patient, f"{dose * 0.95:.1f} mcg/day")
    nurse = clinic.client("nurse-carol")
    done = nurse.post(f"{change.headers['location']}/confirm", data={"csrf_token": csrf_of(nurse)})
    assert done.status_code == 303
    assert _versions(clinic, pump)[-1].entered_by == "nurse-carol"


def test_a_daily_dose_entered_as_an_hourly_one_is_blocked_for_a_nurse(clinic):
    patient, _pump_id, dose, _count = _pump(clinic)
    page = _propose(clinic.client("nurse-carol"), patient, f"{dose * 24:.1f} mcg/day")
    assert page.status_code == 400
    message = page.text.split('<p class="field-error">', 1)[1].split("</p>", 1)[0]
    assert message.startswith("the safety check blocks this program (")
    assert "a per-hour value entered as per day" in message
    assert "unit_slip_per_hour" not in page.text  # words, not rule keys
    assert message.endswith("To store it anyway a physician gives an override reason")
    assert "--override" not in page.text
    with store.transaction(clinic.engine) as db:
        assert store.pending_proposals(db) == []


def test_a_nurse_cannot_override_a_block(clinic):
    patient, *_ = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    page = _propose(nurse, patient, "5000 mcg/day", override_reason="I am sure")
    assert page.status_code == 400 and "only a physician may override" in page.text


def test_a_physician_overrides_a_block_with_a_reason_and_it_is_kept_on_the_version(clinic):
    patient, pump, dose, _count = _pump(clinic)
    physician = clinic.client("dr-alice")
    why = "bolus trial showed need; monitored admission"
    change = _propose(physician, patient, f"{dose * 10:.1f} mcg/day", override_reason=why)
    assert change.status_code == 303
    other = clinic.client("dr-bob")
    done = other.post(f"{change.headers['location']}/confirm", data={"csrf_token": csrf_of(other)})
    assert done.status_code == 303
    stored = _versions(clinic, pump)[-1]
    assert (stored.verdict, stored.override_reason) == ("block", why)


def test_a_dose_without_a_daily_unit_is_refused_on_its_field_naming_the_unit(clinic):
    patient, pump, _dose, count = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    for text in ("300 mg/mL", "300", "3,00 mcg/day"):
        form = {"csrf_token": csrf_of(nurse), "daily_dose": text, "phase": "titration"}
        page = nurse.post(f"/patients/{patient}/program/review", data=form)
        assert page.status_code == 400
        message = re.search(r'class="field-error">([^<]*)<', page.text).group(1)
        assert "mcg/day" in message or "unit" in message, message
    assert len(_versions(clinic, pump)) == count


def test_a_concentration_other_than_the_one_filled_is_flagged_on_review(clinic):
    patient, pump, dose, _count = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    with store.transaction(clinic.engine) as db:
        told = store.version_at(db.get(store.Pump, pump), NOW).concentration_mcg_per_ml
    other = 2000 if told != 2000 else 500
    form = {"csrf_token": csrf_of(nurse), "daily_dose": f"{dose:.1f} mcg/day"}
    form |= {"concentration": f"{other} mcg/mL", "phase": "titration"}
    page = nurse.post(f"/patients/{patient}/program/review", data=form)
    assert page.status_code == 200
    assert "BLOCK" in page.text or "WARN" in page.text
    assert f"<td>{other} mcg/mL</td>" in page.text.split("Concentration told", 1)[1]


def test_a_declined_change_stores_nothing_and_says_who_declined_it(clinic):
    patient, pump, dose, count = _pump(clinic)
    change = _propose(clinic.client("nurse-carol"), patient, f"{dose * 1.05:.1f} mcg/day")
    physician = clinic.client("dr-alice")
    url = change.headers["location"]
    assert (
        physician.post(f"{url}/decline", data={"csrf_token": csrf_of(physician)}).status_code == 400
    )
    data = {"csrf_token": csrf_of(physician), "why": "wait for the next assessment"}
    assert physician.post(f"{url}/decline", data=data).status_code == 303
    assert len(_versions(clinic, pump)) == count
    assert "Declined by dr-alice" in physician.get(url).text
