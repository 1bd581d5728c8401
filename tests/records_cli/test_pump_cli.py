"""`itbtwin pump implant|revise|show|event` against a real database."""

from __future__ import annotations

from .conftest import FLEX


def _add(records, identifier: str = "P002") -> None:
    records.run(
        f'patient add {identifier} --birth-date 1975-06-01 --weight "80 kg" --origin spinal'
    )


def test_implant_stores_the_system_its_fill_and_program_version_1(clinic):
    out = clinic.data("pump show NGP001")
    assert out["device"] == "synchromed2-20" and out["implanted_at"] == "2026-11-02T10:00:00"
    assert out["time_zone"] == "Europe/London" and out["tip_level"] == "T10"
    assert out["catheter_now"] == {"model": "8709SC", "length_cm": 50.0, "tip_level": "T10"}
    [program] = out["programs"]
    assert program["version"] == 1 and program["verdict"] == "initial"
    assert program["mean_daily_dose_mcg"] == 250.0 and program["entered_by"] == "dr.smith"
    [fill] = out["refills"]
    assert (fill["injected_ml"], fill["concentration_mcg_per_ml"], fill["lot"]) == (20, 500, "L1")
    assert [e["action"] for e in out["audit"]] == ["pump.implant"]


def test_implant_takes_a_flex_program_from_a_toml_file(records, tmp_path):
    _add(records)
    program = tmp_path / "flex.toml"
    program.write_text(FLEX)
    out = records.data(
        "pump implant P002 --device synchromed2-40 --serial F1 --time-zone Europe/Paris "
        '--catheter 8709SC --catheter-length "0.45 m" --fill "40 mL" '
        f'--concentration "1000 mcg/mL" --program {program} --at "2026-10-01 09:00"'
    )
    assert out["catheter_length_cm"] == 45.0
    [version] = out["programs"]
    assert version["document"]["mode"] == "flex"
    assert abs(version["mean_daily_dose_mcg"] - (10 * 200 + 14 * 300) / 24) < 1e-9


def test_a_new_implant_explants_the_previous_pump(clinic):
    clinic.run(
        "pump implant P001 --device synchromed2-40 --serial NGP002 --time-zone Europe/London "
        '--catheter 8709SC --catheter-length "50 cm" --fill "40 mL" '
        '--concentration "500 mcg/mL" --daily-dose "250 mcg/day" --at "2026-11-20 10:00"'
    )
    assert clinic.data("pump show NGP001")["explanted_at"] == "2026-11-20T10:00:00"
    assert clinic.data("patient list")["patients"][0]["serial"] == "NGP002"


def test_revise_puts_a_new_catheter_in_place_with_its_reason(clinic):
    out = clinic.data(
        'pump revise NGP001 --catheter 8709SC --catheter-length "45 cm" --tip-level T9 '
        '--at "2026-11-21 09:00" --reason "fracture on X-ray" --by dr.smith'
    )
    assert out["catheter"] == {"model": "8709SC", "length_cm": 45.0, "tip_level": "T9"}
    shown = clinic.data("pump show NGP001")
    assert shown["catheter_now"]["length_cm"] == 45.0
    assert shown["revisions"][0]["reason"] == "fracture on X-ray"
    entry = shown["audit"][-1]
    assert (entry["action"], entry["actor"], entry["why"]) == (
        "pump.revise",
        "dr.smith",
        "fracture on X-ray",
    )
    assert entry["what"]["before"]["length_cm"] == 50.0


def test_event_records_an_alarm_on_the_pump(clinic):
    out = clinic.data(
        'pump event NGP001 --kind low_reservoir --at "2026-11-20 08:00" --detail "single tone"'
    )
    assert out == {
        "serial": "NGP001",
        "occurred_at": "2026-11-20T08:00:00",
        "kind": "low_reservoir",
        "detail": "single tone",
        "fraction": None,
    }
    assert clinic.data("pump show NGP001")["events"][0]["detail"] == "single tone"


def test_pump_show_prints_programs_refills_events_and_audit(clinic):
    clinic.run('pump event NGP001 --kind low_reservoir --at "2026-11-20 08:00"')
    text = clinic.run("pump show NGP001").stdout
    for part in ("Program versions", "Fills and refills", "Alarms and events", "Low reservoir"):
        assert part in text
    assert "Audit trail of pump NGP001" in text
