"""`pump show` (and `patient show`) print a refill's delivery error as `refill record` does,
"+2.7" (%), not "2.667", and an event's kind in words, "Low reservoir", not "low_reservoir".
NGP001: 20 mL at 250 mcg/day (0.5 mL/day) from Mon 2 Nov 2026 10:00; a refill on Thu 12 Nov
10:00 with 4.6 mL withdrawn of 5 mL expected: delivered 15.4 mL of 15 programmed, +2.667%."""

from __future__ import annotations

import re


def test_pump_show_prints_the_delivery_error_to_one_decimal_with_its_sign(clinic, wide_console):
    clinic.run(
        'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
        '--concentration "500 mcg/mL" --at "2026-11-12 10:00"'
    )
    clinic.run('pump event NGP001 --kind low_reservoir --at "2026-11-13 09:00"')
    text = clinic.run("pump show NGP001").stdout
    refill = re.search(r"│ Thu 12 Nov 2026 10:00 │([^\n]*)", text).group(1)
    assert "+2.7" in refill and "2.667" not in refill, refill
    assert re.search(r"│ Fri 13 Nov 2026 09:00 │ Low reservoir\s*│", text), text
    data = clinic.data("pump show NGP001")
    assert round(data["refills"][-1]["error_pct"], 3) == 2.667
    assert data["events"][0]["kind"] == "low_reservoir"


def test_schedule_and_pump_show_count_in_words_not_with_parenthesised_plurals(clinic, wide_console):
    schedule = clinic.run('schedule --as-of "2026-11-20 09:00"').stdout
    assert "(most urgent first; 1 implanted pump)" in schedule, schedule
    shown = clinic.run("pump show NGP001").stdout
    assert "tip T10; 0 revisions" in shown and "(s)" not in shown, shown
