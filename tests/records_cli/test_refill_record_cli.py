"""`itbtwin refill record`: reconciliation numbers computed by hand and the pocket-fill check.

NGP001 was filled with 20 mL at implant. A refill with 5 mL expected and 4.6 mL withdrawn:
discrepancy = 4.6 − 5 = −0.4 mL; programmed volume since the fill = 20 − 5 = 15 mL, delivered =
20 − 4.6 = 15.4 mL, so the pump delivered 15.4 / 15 − 1 = +2.67% more than programmed (the
synchromed2 refill report's error %). A 20 mL pump flags a pocket fill when the measured volume
is more than 1 mL below the injected one (maino2017).
"""

from __future__ import annotations

REFILL = (
    'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
    '--concentration "500 mcg/mL" --product Lioresal --lot L2 --at "2026-11-12 10:00"'
)


def test_refill_reports_discrepancy_and_delivery_error(clinic):
    out = clinic.data(REFILL, "--measured", "19.9 mL")
    assert abs(out["discrepancy_ml"] - (-0.4)) < 1e-9
    assert abs(out["error_pct"] - 100 * ((20 - 4.6) / (20 - 5) - 1)) < 1e-9
    assert round(out["error_pct"], 1) == 2.7
    assert abs(out["pocket_discrepancy_ml"] - 0.1) < 1e-9 and out["pocket_fill_flag"] is False
    assert set(out) >= {"serial", "performed_at", "verdict", "reasons"}


def test_refill_text_output_gives_the_numbers(clinic):
    text = clinic.run(REFILL).stdout
    assert "-0.40 mL" in text and "+2.7%" in text
    assert "not checked" in text


def test_a_measured_volume_1_5_ml_short_flags_a_pocket_fill(clinic):
    out = clinic.data(REFILL, "--measured", "18.5 mL", "--by", "nurse.jones")
    assert out["pocket_fill_flag"] is True and abs(out["pocket_discrepancy_ml"] - 1.5) < 1e-9
    assert out["verdict"] == "block"
    assert "pocket_fill_suspected" in [r["rule"] for r in out["reasons"]]
    shown = clinic.data("pump show NGP001")
    assert shown["refills"][-1]["pocket_fill_flag"] is True
    assert [e["kind"] for e in shown["events"]] == ["pocket_fill_suspected"]
    entry = clinic.audit()[-1]
    assert (entry["action"], entry["actor"]) == ("refill.record", "nurse.jones")
    assert entry["what"]["pocket_fill_flag"] is True


def test_the_next_refill_is_reconciled_against_the_measured_fill(clinic):
    clinic.run(REFILL, "--measured", "19 mL")
    out = clinic.data(
        'refill record NGP001 --withdrawn "9 mL" --expected "10 mL" --injected "20 mL" '
        '--concentration "500 mcg/mL" --at "2026-11-22 10:00"'
    )
    assert abs(out["error_pct"] - 100 * ((19 - 9) / (19 - 10) - 1)) < 1e-9
