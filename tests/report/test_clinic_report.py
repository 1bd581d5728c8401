"""The clinic report: the next two weeks' refills with the calendar, the ranked risks with their
reasons and sources, and the patient table (issue 6, item 4)."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest

from itbtwin import sources
from itbtwin.clinic import RiskRecord, Verdict, assess_risk, rank_risks, refill_schedule
from itbtwin.report import clinic_report, render_html
from itbtwin.sim import load_scenario

EXAMPLES = Path(__file__).parents[2] / "examples"
NAMES = ("missed_refill", "concentration_change_no_bridge", "catheter_fracture")


@pytest.fixture(scope="module")
def clinic():  # type: ignore[no-untyped-def]
    scenarios = {name: load_scenario(EXAMPLES / f"{name}.toml") for name in NAMES}
    entries = refill_schedule([(n, s.therapy) for n, s in scenarios.items()])
    risks = rank_risks(
        [
            assess_risk(n, s, RiskRecord(injury_level="T4") if n == "missed_refill" else None)
            for n, s in scenarios.items()
        ]
    )
    return entries, risks


def test_clinic_report_shows_the_refills_due_in_two_weeks(clinic) -> None:
    entries, risks = clinic
    # windows: 31 Jan - 6 Feb (missed refill, catheter fracture), 19 - 23 Feb (the other)
    doc = clinic_report("North <ITB> clinic", entries, risks, as_of=date(2024, 1, 29))
    due = doc.sections[0]
    assert due.title == "Refills in the next 14 days"
    assert len(doc.figures()) == 1
    page = render_html(doc)
    assert "Wed 31 Jan 2024 - Tue 06 Feb 2024" in page
    assert "1 more pumps are due after these 14 days." in page
    assert "North &lt;ITB&gt; clinic" in page and "<ITB>" not in page


def test_clinic_report_without_refills_due_says_so(clinic) -> None:
    entries, risks = clinic
    doc = clinic_report("Clinic", entries, risks)  # today = 8 Jan 2024, hour 0 of the pumps
    assert not doc.figures()
    assert "No refill falls due in the 14 days from 08 Jan 2024." in render_html(doc)


def test_clinic_report_ranks_risks_with_reasons_and_their_sources(clinic) -> None:
    entries, risks = clinic
    patients = [{"name": n, "injury level": "T4" if n == "missed_refill" else None} for n in NAMES]
    doc = clinic_report("Clinic", entries, risks, patients, as_of=date(2024, 1, 29))
    page = render_html(doc)
    sources_part = page[page.index(">Sources</h2>") :]
    at_risk = [r for r in risks if r.verdict != Verdict.PASS]
    assert at_risk
    for risk in at_risk:
        for reason in risk.reasons:
            assert html.escape(reason.text) in page
            for key in reason.source.split("+"):
                assert html.escape(sources.resolve(key)) in sources_part
    ranked = page[page.index(">Patients at risk</h2>") :]
    assert ranked.index(f"<td>{risks[0].name}</td>") < ranked.index(f"<td>{risks[-1].name}</td>")
    assert ">Patients</h2>" in page and "<th>Injury level</th>" in page
