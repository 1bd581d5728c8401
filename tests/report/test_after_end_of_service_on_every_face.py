"""Days of drug of a pump whose battery ends before its reservoir empties read "after end of
service" on every face (h41): the CLI's risk table said so while the clinic report, the web's
dashboard and review page showed "-". The pump: the stable example 6.95 years old at its fill,
end of service (7 years, synchromed2:S26, from memory, verify) 18 days on, 40 days of drug in it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.cli._risk import days_of_drug as cli_days_of_drug
from itbtwin.clinic import assess_risk, refill_schedule
from itbtwin.report import clinic_report, write_html
from itbtwin.sim import loads_scenario
from itbtwin.web._filters import days_left, days_of_drug, pump_moment

EXAMPLE = Path(__file__).parents[2] / "examples" / "stable_sci_three_refills.toml"


@pytest.fixture(scope="module")
def old_pump():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert 'age_at_start = "2 year"' in text
    scenario = loads_scenario(text.replace('age_at_start = "2 year"', 'age_at_start = "6.95 year"'))
    risk = assess_risk("old_pump", scenario)
    assert risk.days_left is None and risk.dates.eos_h is not None  # it stops before it empties
    return scenario, risk


def test_the_cli_and_the_web_say_the_same_words(old_pump):
    _, risk = old_pump
    dates = risk.dates
    said = "after end of service"
    assert cli_days_of_drug(risk.days_left, dates) == said
    assert days_of_drug(risk.days_left, dates) == said  # the dashboard's risk table
    assert days_left(dates.ahead_h(dates.empty_h), dates) == said  # the refill queue
    assert pump_moment(dates, dates.empty_h) == said  # the patient page and the review page
    assert pump_moment(dates, dates.low_reservoir_h) == said  # its alarm would come later too


def test_the_clinic_report_says_after_end_of_service_not_a_dash(old_pump, tmp_path):
    scenario, risk = old_pump
    entries = refill_schedule([("old_pump", scenario.therapy)])
    doc = clinic_report("Test clinic", entries, [risk])
    page = write_html(doc, tmp_path / "clinic.html").read_text(encoding="utf-8")
    risks = page[page.index(">Patients at risk") :]
    assert "<td>after end of service</td>" in risks[: risks.index("</table>")]
    assert page.count("<td>after end of service</td>") >= 2  # the schedule's empty date too
