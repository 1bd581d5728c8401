"""Issue 12 point 5: records are corrected the way clinics do it, on SQLite and PostgreSQL.

An entry is amended or voided with a reason; the original row stays, the correction is a new row
linked to it, the views and the twin read the corrected value and the audit trail shows both.
Discharge, explant without a replacement and a revision that keeps the tip level. NGP001 holds
20 mL of 500 mcg/mL at 250 mcg/day (0.5 mL/day) from 2 Nov 2026 10:00.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from itbtwin import store
from itbtwin.errors import ItbError
from itbtwin.pump import find_catheter, find_device

REFILL_AT = "2026-11-12 10:00"
REFILL = (
    'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
    f'--concentration "500 mcg/mL" --product Lioresal --lot L2 --at "{REFILL_AT}"'
)


def _refused(result, message: str) -> None:
    """Refused with one line naming the problem (exit status 2 from `itbtwin`: `cli.main`)."""
    assert isinstance(result.exception, ItbError), (result.output, result.exception)
    assert message in str(result.exception) and "\n" not in str(result.exception)


def _actions(records) -> list[str]:
    return [e["action"] for e in records.audit()]


def test_issue_12_an_amended_refill_is_reconciled_again_and_the_original_stays(clinic):
    clinic.run(REFILL)
    before = clinic.counts()
    out = clinic.data(
        f'refill amend NGP001 --at "{REFILL_AT}" --withdrawn "3.1 mL" --reason "typed 4.6 for 3.1"'
    )
    # programmed 20 − 5 = 15 mL, delivered 20 − 3.1 = 16.9 mL: +12.67 %
    assert abs(out["error_pct"] - 100 * (16.9 / 15 - 1)) < 1e-9
    assert abs(out["discrepancy_ml"] - (3.1 - 5)) < 1e-9
    assert clinic.counts()["refill"] == before["refill"] + 1  # the original row stays
    shown = clinic.data("pump show NGP001")
    assert [r["withdrawn_ml"] for r in shown["refills"]] == [0.0, 3.1]
    assert _actions(clinic)[-2:] == ["refill.record", "refill.amend"]
    amend = clinic.audit()[-1]
    assert amend["why"] == "typed 4.6 for 3.1"
    patient = clinic.data("patient show P001")
    [row] = patient["corrections"]
    assert (row["entry"], row["of"], row["correction"]) == ("refill", REFILL_AT, "amended")


def test_issue_12_a_voided_refill_counts_nowhere_and_cannot_be_voided_twice(clinic):
    clinic.run(REFILL)
    out = clinic.data(
        f'refill void NGP001 --at "{REFILL_AT}" --reason "recorded on the wrong pump"'
    )
    assert out["voided"] is True
    assert [r["withdrawn_ml"] for r in clinic.data("pump show NGP001")["refills"]] == [0.0]
    counts = clinic.counts()
    again = clinic.invoke(f'refill void NGP001 --at "{REFILL_AT}" --reason again')
    _refused(again, "no refill")
    assert clinic.counts() == counts
    assert _actions(clinic)[-2:] == ["refill.record", "refill.void"]


def test_a_correction_needs_a_reason_and_a_refused_one_changes_nothing(clinic):
    clinic.run(REFILL)
    counts = clinic.counts()
    result = clinic.invoke(f'refill void NGP001 --at "{REFILL_AT}" --reason " "')
    _refused(result, "needs a reason")
    assert clinic.counts() == counts


def test_the_implant_fill_and_first_program_cannot_be_voided(clinic):
    fill = clinic.invoke('refill void NGP001 --at "2026-11-02 10:00" --reason x')
    program = clinic.invoke("program void NGP001 --version 1 --reason x")
    _refused(fill, "part of the implant")
    _refused(program, "version 1")


def test_issue_12_voiding_a_program_version_puts_the_one_before_back(clinic):
    clinic.run(
        'program set NGP001 --daily-dose "275 mcg/day" --at "2026-11-05 10:00" '
        '--reason "spasms at night"'
    )
    assert clinic.data("patient list")["patients"][0]["daily_dose_mcg"] == 275.0
    clinic.run('program void NGP001 --version 2 --reason "entered for the wrong patient"')
    assert clinic.data("patient list")["patients"][0]["daily_dose_mcg"] == 250.0
    versions = [v["version"] for v in clinic.data("pump show NGP001")["programs"]]
    assert versions == [1]
    clinic.run(
        'program set NGP001 --daily-dose "260 mcg/day" --at "2026-11-06 10:00" --reason "again"'
    )
    versions = [v["version"] for v in clinic.data("pump show NGP001")["programs"]]
    assert versions == [1, 3]  # a number is never used twice


def test_issue_12_a_voided_assessment_and_event_leave_the_views(clinic):
    at = "2026-11-10 11:00"
    clinic.run(f'assess P001 --mas "hip adductors L=2" --penn-frequency 1 --at "{at}"')
    clinic.run(f'pump event NGP001 --kind occlusion --share "40 %" --at "{at}"')
    shown = clinic.data("patient show P001")
    assert len(shown["assessments"]) == 1
    assert shown["pumps"][0]["events"][0] | {"occurred_at": at} == {
        "occurred_at": at,
        "kind": "occlusion",
        "detail": "",
        "fraction": 0.4,
        "programmed_mcg_per_ml": None,  # a wrong concentration's only (h39)
    }
    clinic.run(f'assessment void P001 --at "{at}" --reason "another patient\'s scores"')
    clinic.run(f'pump void-event NGP001 --at "{at}" --kind occlusion --reason "contrast normal"')
    shown = clinic.data("patient show P001")
    assert shown["assessments"] == [] and shown["pumps"][0]["events"] == []
    assert [c["entry"] for c in shown["corrections"]] == ["assessment", "event"]
    assert _actions(clinic)[-2:] == ["assessment.void", "event.void"]


def test_an_event_share_is_a_percentage_of_a_catheter_fault_only(clinic):
    out = clinic.data('pump event NGP001 --kind fracture --share "25 %" --at "2026-11-10 11:00"')
    assert out["fraction"] == 0.25
    for bad in ('--kind fracture --share "0.25"', '--kind low_reservoir --share "25 %"'):
        result = clinic.invoke(f'pump event NGP001 {bad} --at "2026-11-10 12:00"')
        _refused(result, "share")


def test_issue_12_a_discharged_patient_is_kept_but_leaves_the_schedule(clinic):
    assert len(clinic.data('schedule --as-of "2026-11-20 09:00"')["pumps"]) == 1
    out = clinic.data('patient discharge P001 --at "2026-11-15 09:00" --reason "moved away"')
    assert out["discharged_at"] == "2026-11-15T09:00:00"
    schedule = clinic.data('schedule --as-of "2026-11-20 09:00"')
    assert schedule["pumps"] == [] and schedule["risks"] == []
    assert clinic.data("patient show P001")["discharged_at"] == "2026-11-15T09:00:00"
    again = clinic.invoke('patient discharge P001 --reason "twice"')
    _refused(again, "was discharged")
    assert _actions(clinic)[-1] == "patient.discharge"


def test_issue_12_a_pump_explanted_without_a_replacement_leaves_the_schedule(clinic):
    clinic.run(REFILL)
    early = clinic.invoke('pump explant NGP001 --at "2026-11-11 09:00" --reason infection')
    _refused(early, "before the pump's last record")
    clinic.run('pump explant NGP001 --at "2026-11-14 09:00" --reason "pocket infection"')
    assert clinic.data("pump show NGP001")["explanted_at"] == "2026-11-14T09:00:00"
    assert clinic.data('schedule --as-of "2026-11-20 09:00"')["pumps"] == []
    late = clinic.invoke(REFILL.replace(REFILL_AT, "2026-11-16 10:00"))
    _refused(late, "explanted")
    assert _actions(clinic)[-1] == "pump.explant"


def test_issue_12_a_revision_keeps_the_tip_level_unless_a_new_one_is_given(clinic):
    clinic.run(
        'pump revise NGP001 --catheter 8709SC --catheter-length "45 cm" --reason "shortened" '
        '--at "2026-11-08 10:00"'
    )
    assert clinic.data("pump show NGP001")["catheter_now"]["tip_level"] == "T10"
    clinic.run(
        'pump revise NGP001 --catheter 8709SC --catheter-length "45 cm" --tip-level T8 '
        '--reason "migrated tip replaced" --at "2026-11-09 10:00"'
    )
    assert clinic.data("pump show NGP001")["catheter_now"]["tip_level"] == "T8"


def test_issue_12_a_bridge_bolus_is_stored_as_data_with_its_program_version(clinic):
    at = "2026-11-12 10:00"
    clinic.run(REFILL.replace('"500 mcg/mL"', '"2000 mcg/mL"'))
    clinic.run(
        f'program set NGP001 --daily-dose "250 mcg/day" --concentration "2000 mcg/mL" --bridge '
        f'--phase maintenance --at "{at}" --reason "500 -> 2000 mcg/mL, same dose"'
    )
    path_ml = find_device("synchromed2-20").pump_volume_ml + find_catheter("8709SC").volume_ml(50)
    engine = store.open_engine(clinic.url)
    with store.transaction(engine) as session:
        version = store.find_version(store.find_pump(session, "NGP001"), 2)
        assert version.bridge_from_mcg_per_ml == 500.0
        assert abs(version.bridge_volume_ml - path_ml) < 1e-12
        # the old program ran at 250 / 500 = 0.5 mL/day: the path clears in path / 0.5 days
        assert abs(version.bridge_duration_h - path_ml / 0.5 * 24) < 1e-9
        pump = store.find_pump(session, "NGP001")
        scenario = store.history_scenario(
            pump, since=datetime(2026, 11, 2, 10), until=datetime(2026, 11, 20, 10)
        )
        assert [r.get("bridge") for r in scenario.document["refill"]] == [True]
    engine.dispose()
    shown = clinic.data("pump show NGP001")["programs"][1]
    assert shown["bridge_from_mcg_per_ml"] == 500.0


def test_a_bridge_without_a_concentration_change_is_refused(clinic):
    counts = clinic.counts()
    result = clinic.invoke(
        'program set NGP001 --daily-dose "260 mcg/day" --bridge --at "2026-11-05 10:00" '
        '--reason "no change of solution"'
    )
    _refused(result, "bridge bolus clears the old solution")
    assert clinic.counts() == counts


def test_issue_12_an_amended_assessment_replaces_the_grades_and_keeps_the_original(clinic):
    at = "2026-11-10 11:00"
    clinic.run(
        f'assess P001 --mas "hip adductors L=2" --penn-frequency 1 --penn-severity 1 --at "{at}"'
    )
    out = clinic.data(
        f'assessment amend P001 --at "{at}" --mas "hip adductors L=1+" --mas "hip adductors R=1" '
        '--reason "left and right read from the wrong column"'
    )
    assert out["mas"] == {"hip adductors L": "1+", "hip adductors R": "1"}
    assert (out["penn_frequency"], out["penn_severity"]) == (1, 1)  # kept as recorded
    shown = clinic.data("patient show P001")
    assert [a["mas"] for a in shown["assessments"]] == [out["mas"]]
    assert clinic.counts()["assessment"] == 2
    assert _actions(clinic)[-2:] == ["assessment.record", "assessment.amend"]
    counts = clinic.counts()  # the amended entry is the one at that time now; checked again
    bad = clinic.invoke(f'assessment amend P001 --at "{at}" --penn-frequency 7 --reason x')
    _refused(bad, "Penn spasm frequency is 0-4")
    assert clinic.counts() == counts


def test_issue_12_an_export_keeps_the_corrected_entries_and_their_corrections(clinic, tmp_path):
    clinic.run(REFILL)
    clinic.run(f'refill amend NGP001 --at "{REFILL_AT}" --withdrawn "3.1 mL" --reason "misread"')
    clinic.run(f'assess P001 --mas "hip adductors L=2" --at "{REFILL_AT}"')
    clinic.run(f'assessment void P001 --at "{REFILL_AT}" --reason "wrong patient"')
    source = store.open_engine(clinic.url)
    with store.transaction(source) as session:
        document = store.export_clinic(session)
    source.dispose()
    assert [
        (c["entity"], c["kind"], c["original"], c["replacement"]) for c in document["corrections"]
    ] == [
        ("refill", "amend", "P001/pumps/0/refills/1", "P001/pumps/0/refills/2"),
        ("assessment", "void", "P001/assessments/0", None),
    ]
    target = store.open_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    store.upgrade(target)
    with store.transaction(target) as session:
        store.import_clinic(session, document, "importer")
    with store.transaction(target) as session:
        patient = store.find_patient(session, "P001")
        pump = store.find_pump(session, "NGP001")
        assert [r.withdrawn_ml for r in pump.refills] == [0.0, 3.1]
        assert patient.assessments == []
        assert [c["correction"] for c in store.correction_rows(session, patient)] == [
            "amended",
            "voided",
        ]
        again = store.export_clinic(session)
    target.dispose()
    assert again["corrections"] == document["corrections"]
    assert again["patients"] == document["patients"]


def test_patient_show_says_a_patient_is_discharged(clinic):
    clinic.run('patient discharge P001 --at "2026-11-15 09:00" --reason "moved away"')
    text = clinic.run("patient show P001").stdout
    assert "discharged Sun 15 Nov 2026 09:00" in " ".join(text.split())


def test_issue_12_the_refill_after_a_corrected_fill_is_reconciled_again(clinic):
    clinic.run(REFILL)  # 20 mL injected, not measured: the next refill reconciles against 20 mL
    second = (
        'refill record NGP001 --withdrawn "14 mL" --expected "15 mL" --injected "20 mL" '
        '--concentration "500 mcg/mL" --at "2026-11-22 10:00"'
    )
    # programmed 20 − 15 = 5 mL, delivered 20 − 14 = 6 mL: +20 %
    assert clinic.data(second)["error_pct"] == pytest.approx(20.0, abs=1e-9)
    clinic.run(f'refill amend NGP001 --at "{REFILL_AT}" --measured "18 mL" --reason "measured"')
    refills = clinic.data("pump show NGP001")["refills"]
    # now 18 mL after the first refill: programmed 3 mL, delivered 4 mL, +33.3 %
    assert refills[-1]["error_pct"] == pytest.approx(100 * (4 / 3 - 1), abs=1e-9)
    assert [r["performed_at"][:10] for r in refills] == ["2026-11-02", "2026-11-12", "2026-11-22"]
    reasons = [c["reason"] for c in clinic.data("patient show P001")["corrections"]]
    assert reasons == ["measured", "reconciled again: the fill before it was corrected (measured)"]
