"""Issue 12 point 3: a report's findings never contradict the records it prints.

Every trouble planted in the demo clinic (`store/_demo_clinic.py`, docs/demo.md) is run through
its patient's report (`itbtwin report patient`), and the finding is checked against the records:
the occlusion measured at a refill (−30 %) is replayed at its recorded size, the concentration
change recorded with a bridge is replayed with it, the empty and holiday pumps alarm when their
records say, the ERI pump reaches its indicator 60 days ahead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import tomli_w

from demo.conftest import TODAY, built
from itbtwin import store
from itbtwin.cli._report_records import patient_document
from itbtwin.clinic import Verdict, worst
from itbtwin.report import ReasonList, response_figure
from itbtwin.sim import loads_scenario, run_twin
from itbtwin.store._demo_history import holiday_alarm


@pytest.fixture(scope="module")
def demo():
    engine, clinic = built(seed=7, size=8)
    yield engine, clinic
    engine.dispose()


def _report(engine, identifier: str, ahead_days: int = 14):
    """The patient report's findings, and the replayed scenario with its twin outcome."""
    with store.transaction(engine) as session:
        doc = patient_document(session, identifier, TODAY, back_days=60, ahead_days=ahead_days)
        pump = store.active_pump(store.find_patient(session, identifier))
        scenario = store.history_scenario(
            pump, since=TODAY - timedelta(days=60), until=TODAY + timedelta(days=ahead_days)
        )
        refills = [(r.performed_at, r.error_pct, r.concentration_mcg_per_ml) for r in pump.refills]
    findings = [
        r
        for section in doc.sections
        if section.title == "Findings"
        for block in section.blocks
        if isinstance(block, ReasonList)
        for r in block.reasons
    ]
    return findings, scenario, run_twin(scenario), refills


def _day(scenario, at: datetime) -> float:
    """Days from the scenario's start to a clinic time."""
    return (at - scenario.document["scenario"]["start"]).total_seconds() / 86400


def test_issue_12_a_recorded_occlusion_and_shortfall_are_replayed_at_their_size(demo):
    engine, clinic = demo
    findings, scenario, outcome, refills = _report(engine, clinic.trouble["catheter_fault"])
    at, error_pct, _ = refills[-1]
    assert error_pct == pytest.approx(-30, abs=1.5)  # what the demo recorded
    share = -error_pct / 100
    faults = scenario.document["fault"]
    assert {f["kind"] for f in faults} == {"occlusion"}
    assert all(f["fraction"] == pytest.approx(share, rel=1e-12) for f in faults)
    # blocked from the start of the replay except the 30 min between the refill and the event
    assert outcome.summary["delivered_over_programmed"] == pytest.approx(1 - share, abs=0.005)
    assert worst(findings) == Verdict.WARN
    derived = [r for r in findings if "derived from the records" in r.text]
    assert derived and all(f"{at:%d %b %Y %H:%M}" in r.text for r in derived)


def test_issue_12_a_concentration_change_recorded_with_a_bridge_is_replayed_with_it(demo):
    engine, clinic = demo
    findings, scenario, outcome, refills = _report(engine, clinic.trouble["concentration_change"])
    assert refills[-1][2] == 2000.0
    bridged = [r for r in scenario.document["refill"] if r.get("bridge")]
    assert len(bridged) == 1 and bridged[0]["concentration"] == "2000.0 mcg/mL"
    assert "recorded_bridge" in [r.rule for r in findings]
    assert outcome.summary["withdrawal_h"] == 0
    assert "signal_withdrawal" not in [r.rule for r in findings]
    # the same records without the bridge: the old solution at the new rate means withdrawal
    document = dict(scenario.document)
    document["refill"] = [{k: v for k, v in r.items() if k != "bridge"} for r in document["refill"]]
    unbridged = run_twin(loads_scenario(tomli_w.dumps(document)))
    assert unbridged.summary["withdrawal_h"] > 0


def test_issue_12_the_missed_visit_pump_runs_empty_in_its_report(demo):
    engine, clinic = demo
    findings, scenario, outcome, _ = _report(engine, clinic.trouble["empty_soon"])
    rules = {r.rule: r.verdict for r in findings}
    assert rules["alarm_empty_reservoir"] == Verdict.BLOCK
    assert rules["signal_withdrawal"] == Verdict.BLOCK
    # about 4 days of drug left at today (demo EMPTY_SOON_DAYS)
    empty_day = outcome.summary["first_day_of"]["empty_reservoir"]
    assert empty_day - _day(scenario, TODAY) == pytest.approx(4.0, abs=0.5)


def test_issue_12_the_holiday_pump_alarms_when_its_records_say(demo):
    engine, clinic = demo
    findings, scenario, outcome, _ = _report(engine, clinic.trouble["holiday"], ahead_days=16)
    assert "alarm_low_reservoir" in [r.rule for r in findings]
    expected = _day(scenario, holiday_alarm(clinic.holidays))
    assert outcome.summary["first_day_of"]["low_reservoir"] == pytest.approx(expected, abs=0.1)


def test_issue_12_the_eri_pump_reaches_its_indicator_60_days_ahead(demo):
    engine, clinic = demo
    findings, scenario, outcome, _ = _report(engine, clinic.trouble["eri"], ahead_days=70)
    assert "alarm_eri" in [r.rule for r in findings]
    eri_day = outcome.summary["first_day_of"]["eri"]
    assert eri_day - _day(scenario, TODAY) == pytest.approx(60.0, abs=3.0)


def test_observed_scores_are_plotted_beside_the_twin(demo):
    engine, clinic = demo
    identifier = clinic.trouble["catheter_fault"]
    _, scenario, outcome, _ = _report(engine, identifier)
    with store.transaction(engine) as session:
        patient = store.find_patient(session, identifier)
        start = scenario.document["scenario"]["start"]
        observed = store.observed_scores(patient, start, TODAY + timedelta(days=14))
    assert observed and all(o["mas"] for o in observed)
    figure = response_figure(outcome, observed=observed)
    labels = {line.get_label() for ax in figure.axes for line in ax.get_lines()}
    muscles = {m for o in observed for m in o["mas"]}
    assert {f"observed MAS, {m}" for m in muscles} <= labels
    if any(o["penn"] is not None for o in observed):
        assert "observed Penn frequency" in labels
