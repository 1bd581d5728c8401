"""`itbtwin patient add|update|list|show` against a real database."""

from __future__ import annotations


def test_patient_add_stores_the_record_and_its_risk_factors(records):
    out = records.data(
        'patient add P002 --birth-date 2012-03-04 --weight "30 kg" --origin cerebral '
        "--diagnosis CP --communication-difficulty --prior-withdrawal --missed-visits 2 "
        '--reason "referred by neurology" --by nurse.jones'
    )
    assert out == {
        "identifier": "P002",
        "birth_date": "2012-03-04",
        "weight_kg": 30.0,
        "origin": "cerebral",
        "diagnosis": "CP",
        "injury_level": None,
        "communication_difficulty": True,
        "prior_withdrawal": True,
        "missed_visits": 2,
        "discharged_at": None,
    }
    [entry] = records.audit()
    assert (entry["actor"], entry["action"], entry["why"]) == (
        "nurse.jones",
        "patient.add",
        "referred by neurology",
    )


def test_weight_is_converted_from_its_unit_to_kg(records):
    out = records.data(
        'patient add P003 --birth-date 1990-01-01 --weight "165.35 lb" --origin spinal'
    )
    assert abs(out["weight_kg"] - 75.0) < 0.01


def test_patient_update_changes_only_what_is_given_and_audits_it(clinic):
    out = clinic.data(
        'patient update P001 --weight "158.7 lb" --missed-visits 1 --communication-difficulty '
        '--reason "weighed at the visit" --by nurse.jones'
    )
    assert abs(out["weight_kg"] - 71.98) < 0.01
    assert out["missed_visits"] == 1 and out["communication_difficulty"] is True
    assert out["injury_level"] == "T4" and out["prior_withdrawal"] is False
    entry = clinic.audit()[-1]
    assert (entry["actor"], entry["action"], entry["why"]) == (
        "nurse.jones",
        "patient.update",
        "weighed at the visit",
    )
    assert set(entry["what"]["before"]) == {
        "weight_kg",
        "missed_visits",
        "communication_difficulty",
    }
    out = clinic.data("patient update P001 --no-communication-difficulty")
    assert out["communication_difficulty"] is False


def test_patient_list_gives_the_pump_and_the_current_dose(clinic):
    clinic.run('patient add P002 --birth-date 2012-03-04 --weight "30 kg" --origin cerebral')
    clinic.run('program set NGP001 --daily-dose "275 mcg/day" --at "2026-11-10 10:00" --reason r')
    rows = clinic.data("patient list")["patients"]
    assert [r["identifier"] for r in rows] == ["P001", "P002"]
    assert rows[0]["serial"] == "NGP001"
    assert rows[0]["daily_dose_mcg"] == 275.0 and rows[0]["concentration_mcg_per_ml"] == 500.0
    assert rows[1]["serial"] is None and rows[1]["daily_dose_mcg"] is None
    assert 14 < rows[1]["age_years"] < 100
    text = clinic.run("patient list").stdout
    assert "NGP001" in text and "P002" in text


def test_patient_show_gives_the_whole_history(clinic):
    clinic.run(
        'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
        '--concentration "500 mcg/mL" --at "2026-11-12 10:00"'
    )
    clinic.run('program set NGP001 --daily-dose "275 mcg/day" --at "2026-11-13 10:00" --reason r')
    clinic.run('assess P001 --mas "hip adductors L=1+" --at "2026-11-14 10:00"')
    clinic.run('pump event NGP001 --kind low_reservoir --at "2026-11-15 10:00"')
    out = clinic.data("patient show P001")
    assert out["identifier"] == "P001" and out["injury_level"] == "T4"
    [pump] = out["pumps"]
    assert pump["serial"] == "NGP001" and pump["catheter_now"]["length_cm"] == 50.0
    assert [(v["version"], v["verdict"]) for v in pump["programs"]] == [(1, "initial"), (2, "pass")]
    assert [r["injected_ml"] for r in pump["refills"]] == [20.0, 20.0]
    assert abs(pump["refills"][1]["discrepancy_ml"] - (4.6 - 5.0)) < 1e-9
    assert [e["kind"] for e in pump["events"]] == ["low_reservoir"]
    assert out["assessments"][0]["mas"] == {"hip adductors L": "1+"}
    actions = [e["action"] for e in out["audit"]]
    assert actions == [
        "patient.add",
        "pump.implant",
        "refill.record",
        "program.set",
        "assessment.record",
        "event.record",
    ]


def test_patient_show_prints_the_tables(clinic):
    text = clinic.run("patient show P001").stdout
    for title in ("Program versions", "Fills and refills", "Assessments", "Audit trail of P001"):
        assert title in text
    assert "Mon 02 Nov 2026 10:00" in text  # issue 12: one date format
