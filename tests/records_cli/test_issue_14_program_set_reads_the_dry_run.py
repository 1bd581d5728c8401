"""`program set` reaches the verdict `check-program` does for the same change, dry run included
(issue 14 pt 2): both run `store.review_change` / `clinic.review_program`.

NGP001 (P001, clinic fixture) runs 250 mcg/day from Mon 2 Nov 2026 10:00; at Fri 20 Nov 09:00
it holds 11.02 mL. NGP009 (P009) is empty since Sun 11 Oct 2026 10:00 (20 mL at 0.5 mL/day from
1 Sep 10:00), so at Tue 20 Oct 09:00 a program alone gives the patient nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from itbtwin import store

from .conftest import FLEX

NGP009 = (
    'patient add P009 --birth-date 1975-02-03 --weight "80 kg" --origin spinal',
    "pump implant P009 --device synchromed2-20 --serial NGP009 --time-zone Europe/London "
    '--catheter 8709SC --catheter-length "50 cm" --fill "20 mL" --concentration "500 mcg/mL" '
    '--daily-dose "250 mcg/day" --at "2026-09-01 10:00"',
)
CASES = {
    "increase within limits": ("NGP001", "275 mcg/day", "2026-11-20 09:00", "pass", set()),
    "cut of 50%": ("NGP001", "125 mcg/day", "2026-11-20 09:00", "warn", {"large_decrease"}),
    "24x slip": ("NGP001", "6000 mcg/day", "2026-11-20 09:00", "block", {"unit_slip_per_hour"}),
    "empty pump": ("NGP009", "275 mcg/day", "2026-10-20 09:00", "block", {"reservoir_empty"}),
}


def _rules(check: dict) -> set[tuple[str, str]]:
    return {(r["rule"], r["verdict"]) for r in check["reasons"]}


@pytest.mark.parametrize("case", CASES)
def test_issue_14_program_set_gives_the_verdict_and_rules_of_check_program(clinic, case):
    serial, dose, at, verdict, fired = CASES[case]
    for command in NGP009:
        clinic.run(command)
    option = f'--daily-dose "{dose}" --at "{at}"'
    checked = clinic.invoke(f"check-program {serial} {option} --json")
    stored = clinic.invoke(f"program set {serial} {option} --reason test --json")
    assert checked.exit_code == stored.exit_code == (1 if verdict == "block" else 0)
    check, kept = json.loads(checked.stdout), json.loads(stored.stdout)
    assert check["verdict"] == kept["check"]["verdict"] == verdict
    assert _rules(check) == _rules(kept["check"])
    assert fired <= {rule for rule, v in _rules(check) if v != "pass"}
    assert kept["stored"] is (verdict != "block")


def test_issue_14_a_cut_whose_dry_run_predicts_withdrawal_is_stored_and_audited_as_warn(clinic):
    out = clinic.data(
        'program set NGP001 --daily-dose "125 mcg/day" --at "2026-11-20 09:00" --reason "cut"'
    )
    found = {r["rule"]: r for r in out["check"]["reasons"]}
    assert out["check"]["verdict"] == "warn" and "change_within_limits" not in found
    assert "dry_run_withdrawal" in found and "withdrawal" in found["large_decrease"]["text"]
    [entry] = [e for e in clinic.audit() if e["action"] == "program.set"]
    assert entry["what"]["verdict"] == "warn"
    assert {"large_decrease", "dry_run_withdrawal"} <= set(entry["what"]["rules"])


def test_issue_14_the_stored_bridge_is_the_twins_bridge_plan(clinic, tmp_path):
    """One bridge definition (`pump.bridge_plan`): the columns `program set --bridge` stores are
    the plan the twin runs on the recorded history at the change (a flex old program: its mean
    volume rate (10 × 200 + 14 × 300) / 24 / 500 = 0.5167 mL/day)."""
    flex = tmp_path / "flex.toml"
    flex.write_text(FLEX)
    clinic.run(f'program set NGP001 --program {flex} --at "2026-11-05 10:00" --reason flex')
    clinic.run(
        'refill record NGP001 --withdrawn "4 mL" --expected "4 mL" --injected "20 mL" '
        '--concentration "2000 mcg/mL" --product Lioresal --lot L2 --at "2026-11-12 10:00"'
    )
    clinic.run(
        'program set NGP001 --daily-dose "250 mcg/day" --concentration "2000 mcg/mL" --bridge '
        '--phase maintenance --at "2026-11-12 10:00" --reason "500 -> 2000 mcg/mL"'
    )
    engine = store.open_engine(clinic.url)
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        version = store.find_version(pump, 3)
        since = datetime(2026, 11, 11, 10)  # the implant fill's history, to after the change
        therapy = store.history_scenario(pump, since=since, until=since + timedelta(days=2))
        plan = therapy.therapy.bridge_plan(240.0)  # 2 Nov 10:00 to 12 Nov 10:00 GMT
        assert plan.ml_per_day == pytest.approx((10 * 200 + 14 * 300) / 24 / 500, rel=1e-12)
        assert version.bridge_volume_ml == pytest.approx(plan.volume_ml, rel=1e-12)
        assert version.bridge_duration_h == pytest.approx(plan.duration_h, rel=1e-12)
    engine.dispose()
