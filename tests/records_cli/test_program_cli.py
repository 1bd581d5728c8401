"""`itbtwin program set`: the safety check runs first; a block is stored only when overridden
with a reason, and then the override is in the version and in the audit trail."""

from __future__ import annotations

import json

from itbtwin.errors import RecordError

TENFOLD = 'program set NGP001 --daily-dose "2500 mcg/day" --at "2026-11-13 10:00" --by dr.smith'


def _versions(records) -> list[tuple[int, str, float]]:
    programs = records.data("pump show NGP001")["programs"]
    return [(v["version"], v["verdict"], v["mean_daily_dose_mcg"]) for v in programs]


def test_a_blocked_program_exits_1_and_stores_nothing(clinic):
    before = clinic.counts()
    result = clinic.invoke(TENFOLD, "--reason", "more spasms")
    assert result.exit_code == 1
    assert "BLOCK" in result.stdout and "decimal_slip" in result.stdout
    assert "nothing was changed. To send it anyway give --override with --reason" in result.output
    assert clinic.counts() == before
    assert _versions(clinic) == [(1, "initial", 250.0)]


def test_a_blocked_program_in_json_says_it_was_not_stored(clinic):
    result = clinic.invoke(TENFOLD, "--reason", "more spasms", "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["stored"] is False and out["version"] is None
    assert out["check"]["verdict"] == "block"
    assert "decimal_slip" in [r["rule"] for r in out["check"]["reasons"]]


def test_override_with_reason_stores_the_block_and_audits_the_override(clinic):
    out = clinic.data(TENFOLD, "--override", "--reason", "confirmed with the team")
    assert out["stored"] is True and out["version"] == 2
    assert out["check"]["verdict"] == "block"
    assert out["check"]["override_reason"] == "confirmed with the team"
    [version] = clinic.data("pump show NGP001")["programs"][1:]
    assert version["verdict"] == "block"
    assert version["override_reason"] == "confirmed with the team"
    entry = clinic.audit()[-1]
    assert (entry["action"], entry["actor"], entry["why"]) == (
        "program.set",
        "dr.smith",
        "confirmed with the team",
    )
    assert entry["what"]["override_reason"] == "confirmed with the team"
    assert entry["what"]["mcg_per_day"] == [250.0, 2500.0]
    assert "decimal_slip" in entry["what"]["rules"]


def test_a_safe_change_is_stored_as_the_next_version(clinic):
    result = clinic.run(
        'program set NGP001 --daily-dose "275 mcg/day" --at "2026-11-13 10:00" '
        '--phase titration --reason "spasms at night"'
    )
    assert "stored as version 2" in result.stdout
    assert _versions(clinic) == [(1, "initial", 250.0), (2, "pass", 275.0)]


def test_a_concentration_other_than_the_reservoirs_is_blocked(clinic):
    result = clinic.invoke(
        'program set NGP001 --daily-dose "250 mcg/day" --concentration "2000 mcg/mL" '
        '--at "2026-11-13 10:00" --reason r'
    )
    assert result.exit_code == 1 and "concentration_mismatch" in result.stdout


def test_a_program_file_sets_a_periodic_program(clinic, tmp_path):
    path = tmp_path / "periodic.toml"
    path.write_text(
        'mode = "periodic"\ndaily_dose = "200 mcg/day"\n'
        '[[bolus]]\nat = "08:00"\ndose = "50 mcg"\nduration = "1 h"\n'
    )
    out = clinic.data(
        f'program set NGP001 --program {path} --at "2026-11-13 10:00" --reason "morning spasms"'
    )
    assert out["version"] == 2 and out["check"]["proposed_mcg_per_day"] == 250.0


def test_the_program_is_given_one_way_only(clinic, tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[program]\nmode = "continuous"\ndaily_dose = "260 mcg/day"\n')
    both = clinic.invoke(
        f'program set NGP001 --daily-dose "260 mcg/day" --program {path} --reason r'
    )
    assert isinstance(both.exception, RecordError) and "one of them" in str(both.exception)
    path.write_text('[pump]\ndevice = "synchromed2-20"\n')
    wrong = clinic.invoke(f"program set NGP001 --program {path} --reason r")
    assert isinstance(wrong.exception, RecordError) and "is not a program" in str(wrong.exception)


def test_a_program_change_needs_a_reason(clinic):
    result = clinic.invoke('program set NGP001 --daily-dose "275 mcg/day" --override')
    assert result.exit_code == 2 and "--reason" in result.output
    assert _versions(clinic) == [(1, "initial", 250.0)]
