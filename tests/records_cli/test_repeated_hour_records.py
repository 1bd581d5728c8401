"""A record in the hour repeated when the clocks go back (issue 17): stored with its UTC offset,
it must be read back by every command that replays the pump, not refused as ambiguous.

NGP009 is implanted at 01:30 BST on Sun 25 Oct 2026 (00:30 UTC, the first of the two 01:30s),
20 mL of 500 mcg/mL at 250 mcg/day = 0.5 mL/day; its 2 mL alarm sounds after (20 − 2) / 0.5 =
36 days = 864 elapsed hours: 00:30 UTC + 864 h = Mon 30 Nov 2026 00:30 UTC = 00:30 GMT.
"""

from __future__ import annotations

REPEATED_HOUR_IMPLANT = (
    "pump implant P001 --device synchromed2-20 --serial NGP009 --time-zone Europe/London "
    '--catheter 8709SC --catheter-length "50 cm" --fill "20 mL" --concentration "500 mcg/mL" '
    '--daily-dose "250 mcg/day" --at "2026-10-25 01:30+01:00" --by dr.smith'
)


def test_a_pump_implanted_in_the_repeated_hour_is_planned_from_its_records(records):
    records.run(
        'patient add P001 --birth-date 1980-05-01 --weight "75 kg" --origin spinal --by nurse.jones'
    )
    records.run(REPEATED_HOUR_IMPLANT)
    out = records.data('schedule --as-of "2026-11-20 09:00" --days 14')
    assert out["pumps"][0]["dates"]["low_reservoir_at"].startswith("2026-11-30T00:30")
    plan = records.run('refill plan NGP009 --as-of "2026-11-20 09:00"')
    assert "Traceback" not in plan.output
