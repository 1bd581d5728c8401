"""Post-implant titration of a stored pump by `itbtwin program set` (h30 §3b): the daily dose is
raised at most once per 24 h by 10-30% (spinal origin) or 5-15% (cerebral origin, and children
under 12 whatever the origin) [saulino2016-dosing; pharmacology.md §1.4]; a larger step or an
earlier one is blocked, and a blocked program is not stored.

Hand calculation. P050 (cerebral palsy, adult) responded to a 50 mcg screening bolus whose effect
lasted 6 h (no more than 8 h), so the pump starts at 2 x 50 = 100 mcg/day [saulino2016-dosing],
implanted Mon 2 Nov 2026 10:00 GMT (20 mL of 500 mcg/mL).
- Tue 3 Nov 10:00 (24 h later): 100 → 115 mcg/day is +15 / 100 = +15.0 %, the top of 5-15 %: stored.
- Wed 4 Nov 09:00 (23 h later): 115 → 120 (+5 / 115 = +4.3 %, small as it is) comes less than
  24 h after the last raise: blocked as too soon.
- Wed 4 Nov 10:00: 115 → 138 is +23 / 115 = +20.0 %: above 15 %, blocked, nothing stored; the
  largest step allowed is 115 x 1.15 = 132.25 mcg/day, which is stored.
P051, the same plan for a spinal cord injury (adult): +20.0 % lies in 10-30 %, so 115 → 138 is
stored; 138 → 180 is +42 / 138 = +30.4 %, blocked. P052, spinal origin but 10 years old: a child
steps 5-15 %, so 115 → 138 (+20.0 %) is blocked.
"""

from __future__ import annotations

import json

import pytest

REASON = "--reason 'titration after the screening'"


def _implant(records, identifier: str, serial: str, patient: str) -> None:
    records.run(f"patient add {identifier} {patient}")
    records.run(
        f"pump implant {identifier} --device synchromed2-20 --serial {serial} --time-zone "
        "Europe/London --catheter 8709SC --catheter-length '50 cm' --fill '20 mL' "
        "--concentration '500 mcg/mL' --daily-dose '100 mcg/day' --at '2026-11-02 10:00'"
    )


def _set(records, serial: str, dose: str, at: str):
    """`program set` as JSON, stored or blocked (exit 1): the verdict and the rules that fired."""
    result = records.invoke(
        f"program set {serial} --daily-dose '{dose}' --at '{at}' {REASON} --json"
    )
    assert result.exit_code in (0, 1), (result.output, result.exception)
    out = json.loads(result.stdout)
    return out, {r["rule"] for r in out["check"]["reasons"]}


def _doses(records, serial: str) -> list[float]:
    return [p["mean_daily_dose_mcg"] for p in records.data(f"pump show {serial}")["programs"]]


@pytest.fixture
def cerebral(records):
    _implant(
        records, "P050", "NGP050", "--birth-date 1990-01-01 --weight '60 kg' --origin cerebral"
    )
    return records


def test_a_cerebral_patient_steps_at_most_15_percent_once_per_24_h(cerebral):
    out, rules = _set(cerebral, "NGP050", "115 mcg/day", "2026-11-03 10:00")
    assert out["version"] == 2 and out["check"]["verdict"] == "pass"
    assert "change_within_limits" in rules
    early, rules = _set(cerebral, "NGP050", "120 mcg/day", "2026-11-04 09:00")
    assert early["stored"] is False and "step_too_soon" in rules
    large, rules = _set(cerebral, "NGP050", "138 mcg/day", "2026-11-04 10:00")
    assert large["stored"] is False and large["check"]["verdict"] == "block"
    assert "step_too_large" in rules
    [text] = [r["text"] for r in large["check"]["reasons"] if r["rule"] == "step_too_large"]
    assert "+20.0%" in text and "5-15%" in text
    assert _doses(cerebral, "NGP050") == [100.0, 115.0]  # the blocked programs were not stored
    top, _ = _set(cerebral, "NGP050", "132.25 mcg/day", "2026-11-04 10:00")
    assert top["version"] == 3
    assert _doses(cerebral, "NGP050") == [100.0, 115.0, 132.25]


def test_a_spinal_adult_may_step_20_percent_but_not_past_30(records):
    _implant(records, "P051", "NGP051", "--birth-date 1990-01-01 --weight '80 kg' --origin spinal")
    assert _set(records, "NGP051", "115 mcg/day", "2026-11-03 10:00")[0]["version"] == 2
    assert _set(records, "NGP051", "138 mcg/day", "2026-11-04 10:00")[0]["version"] == 3
    out, rules = _set(records, "NGP051", "180 mcg/day", "2026-11-05 10:00")
    assert out["stored"] is False and "step_too_large" in rules
    [text] = [r["text"] for r in out["check"]["reasons"] if r["rule"] == "step_too_large"]
    assert "+30.4%" in text and "10-30%" in text


def test_a_child_of_spinal_origin_steps_as_a_cerebral_patient(records):
    _implant(records, "P052", "NGP052", "--birth-date 2016-06-01 --weight '30 kg' --origin spinal")
    assert _set(records, "NGP052", "115 mcg/day", "2026-11-03 10:00")[0]["version"] == 2
    out, rules = _set(records, "NGP052", "138 mcg/day", "2026-11-04 10:00")
    assert out["stored"] is False and "step_too_large" in rules
