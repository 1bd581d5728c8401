"""Recorded program faults change the replay's delivery (h30 §2): a ``wrong_concentration`` with
the concentration found programmed, and a ``unit_slip``, are replayed as the twin's own faults
(`pump.Fault`) from the event to the next program version; before, only catheter faults were.

Hand calculation (P030, SynchroMed II 20 mL, implanted Mon 2 Nov 2026 10:00 GMT with 20 mL of
2000 mcg/mL at 100 mcg/day, i.e. 100 / 2000 = 0.05 mL/day). On Mon 9 Nov 10:00 (168 h) the pump is
found programmed for 500 mcg/mL: it pumps 100 / 500 = 0.2 mL/day of the 2000 mcg/mL it holds, so
0.2 x 2000 = 400 mcg/day reach the tip. Reprogrammed for 2000 mcg/mL on Mon 16 Nov 10:00 (336 h).
- delivered by 168 h: 7 x 100 = 700 mcg; by 336 h: 700 + 7 x 400 = 3500 mcg; by 504 h (Mon 23
  Nov): 3500 + 7 x 100 = 4200 mcg;
- reservoir at 504 h: 20 - 7 x 0.05 - 7 x 0.2 - 7 x 0.05 = 17.9 mL (the volume pumped is the
  programmed volume: the concentration changes the drug, not the volume).
A unit slip on Mon 9 Nov 10:00 runs 24 x 100 = 2400 mcg/day (24 x 0.05 = 1.2 mL/day) until the
next program version.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from clinical_cases.conftest import implanted
from itbtwin import store
from itbtwin.pump import deliver
from itbtwin.sim import run_twin

DAY = 24.0


def _pump(records, serial: str, concentration: str, fault: str | None) -> None:
    implanted(records, f"{serial}P", serial, concentration=concentration, daily_dose="100 mcg/day")
    if fault is not None:
        records.run(f"pump event {serial} {fault} --at '2026-11-09 10:00'")
    records.run(
        f"program set {serial} --daily-dose '100 mcg/day' --concentration '{concentration}' "
        "--at '2026-11-16 10:00' --reason 'the pump found wrongly programmed'"
    )


def _replay(records, serial: str):
    engine = store.open_engine(records.url)
    try:
        with store.transaction(engine) as session:
            pump = store.find_pump(session, serial)
            start, end = pump.implanted_at, pump.implanted_at + timedelta(days=21)  # to 23 Nov
            scenario = store.history_scenario(pump, since=start, until=end)
            facts = store.recorded_facts(pump, start, end)
    finally:
        engine.dispose()
    return scenario, facts


def test_a_wrong_concentration_programmed_delivers_volume_times_the_filled_concentration(records):
    _pump(records, "NGP030", "2000 mcg/mL", "--kind wrong_concentration --programmed '500 mcg/mL'")
    scenario, facts = _replay(records, "NGP030")
    delivery = deliver(scenario.therapy)
    given = delivery.cumulative_mcg(np.array([7, 14, 21]) * DAY)
    assert given == pytest.approx([700.0, 3500.0, 4200.0], abs=1e-6)
    assert float(delivery.reservoir_at(np.array([21 * DAY]))[0]) == pytest.approx(17.9, abs=1e-9)
    (fact,) = [f for f in facts if f.kind == "wrong_concentration"]
    assert fact.replayed and "500 mcg/mL" in fact.text and "16 Nov 2026" in fact.text


def test_a_recorded_unit_slip_delivers_24_times_until_the_next_program_version(records):
    _pump(records, "NGP031", "2000 mcg/mL", "--kind unit_slip")
    scenario, _ = _replay(records, "NGP031")
    delivery = deliver(scenario.therapy)
    given = delivery.cumulative_mcg(np.array([7, 14, 21]) * DAY)
    assert given == pytest.approx([700.0, 700.0 + 7 * 2400.0, 17500.0 + 700.0], abs=1e-6)
    assert float(delivery.reservoir_at(np.array([21 * DAY]))[0]) == pytest.approx(
        20 - 0.35 - 7 * 1.2 - 0.35, abs=1e-9
    )


def test_csf_and_the_overdose_and_withdrawal_signals_follow_the_replayed_program_faults(records):
    """Lumbar CSF is linear in the delivered rate: at steady state (a week at each rate, CSF
    t½ 1.51 h) 4x the drug gives 4x the CSF; 4x the controlled level raises overdose signals.
    Programmed 2000 mcg/mL for a fill of 500 mcg/mL delivers a quarter (25 mcg/day): withdrawal."""
    _pump(records, "NGP032", "2000 mcg/mL", "--kind wrong_concentration --programmed '500 mcg/mL'")
    _pump(records, "NGP033", "2000 mcg/mL", None)
    _pump(records, "NGP034", "500 mcg/mL", "--kind wrong_concentration --programmed '2000 mcg/mL'")
    over, plain, under = (run_twin(_replay(records, s)[0]) for s in ("NGP032", "NGP033", "NGP034"))
    t = over.series["time_h"]
    csf = {k: o.series["csf_lumbar_ng_ml"] for k, o in (("over", over), ("plain", plain))}
    day_13 = np.searchsorted(t, 13 * DAY)
    assert csf["over"][day_13] == pytest.approx(4 * csf["plain"][day_13], rel=1e-3)
    assert plain.summary["max_overdose_level"] == 0 and over.summary["max_overdose_level"] >= 1
    assert 7 <= over.summary["first_overdose_day"] < 8
    assert plain.summary["withdrawal_h"] == 0 and under.summary["withdrawal_h"] > 0
    assert 7 <= under.summary["first_withdrawal_day"] < 8


def test_a_wrong_concentration_without_its_programmed_value_is_not_replayed_and_says_so(records):
    _pump(records, "NGP035", "2000 mcg/mL", "--kind wrong_concentration")
    scenario, facts = _replay(records, "NGP035")
    assert deliver(scenario.therapy).cumulative_mcg(np.array([21 * DAY]))[0] == pytest.approx(2100)
    (fact,) = [f for f in facts if f.kind == "wrong_concentration"]
    assert not fact.replayed and "not recorded" in fact.text


def test_a_programmed_concentration_on_another_event_is_refused_and_changes_nothing(clinic):
    before = clinic.counts()
    result = clinic.invoke("pump event NGP001 --kind occlusion --programmed '500 mcg/mL'")
    assert result.exit_code != 0 and "only for a wrong_concentration" in str(result.exception)
    assert clinic.counts() == before


def test_an_open_unit_slip_brings_the_alarm_and_empty_dates_forward(records):
    """Not reprogrammed, the slip runs on: 19.65 mL left at 168 h (20 - 7 x 0.05), then
    1.2 mL/day: low-reservoir alarm (2 mL) at 168 + (19.65 - 2) / 1.2 x 24 = 521 h, empty at
    168 + 19.65 / 1.2 x 24 = 561 h after the implant (Mon 2 Nov 10:00 GMT): 21 days 17 h later,
    Tue 24 Nov 2026 03:00, and 23 days 9 h later, Wed 25 Nov 2026 19:00 (without the slip: 18 /
    0.05 = 360 days)."""
    implanted(records, "P036", "NGP036", concentration="2000 mcg/mL", daily_dose="100 mcg/day")
    records.run("pump event NGP036 --kind unit_slip --at '2026-11-09 10:00'")
    dates = records.data("refill plan NGP036 --as-of '2026-11-10 09:00'")["dates"]
    assert dates["low_reservoir_at"] == "2026-11-24T03:00:00+00:00"
    assert dates["empty_at"] == "2026-11-25T19:00:00+00:00"
