"""The education sheet is written for one person (issue 16, point 3): their name, pump, medicine
and dose, their dates, the two alarm sounds, the signs in plain words, whom to call and when, a
large-print option, and the sources once in a footnote.

Hand check (examples/missed_refill.toml): 20 mL of 500 mcg/mL at 250 mcg/day is 0.5 mL/day from
Mon 08 Jan 2024 09:00; the 2 mL low-reservoir alarm comes after 18 / 0.5 = 36 days (Tue 13 Feb),
the reservoir is empty after 40 days (Sat 17 Feb), and the 7-day margin puts the last refill day
at Tue 06 Feb 2024.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itbtwin import sources
from itbtwin.clinic import ClinicContact, RiskRecord, assess_risk, education_sheet, pump_dates
from itbtwin.clinic._education import SHEET_SOURCES
from itbtwin.sim import load_scenario

MISSED_REFILL = load_scenario(Path(__file__).parents[2] / "examples" / "missed_refill.toml")
CLINIC = ClinicContact("Spasticity clinic", "+44 20 7946 0000", "Mon-Fri 08:00-17:00")


@pytest.fixture(scope="module")
def risk():
    return assess_risk("missed_refill", MISSED_REFILL, RiskRecord(injury_level="C5"))


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_sheet_names_the_person_their_pump_medicine_and_dose(risk):
    page = education_sheet(risk, MISSED_REFILL.therapy, patient_name="Ann <Example>")
    assert "Ann &lt;Example&gt;" in page  # escaped, never markup
    text = _text(page)
    assert "Pump SynchroMed II 20 mL (8637-20)" in text
    assert "Medicine Lioresal 500 mcg/mL" in text
    assert "Daily dose 250 mcg a day" in text


def test_sheet_dates_are_the_hand_checked_refill_alarm_and_empty_days(risk):
    text = _text(education_sheet(risk, MISSED_REFILL.therapy))
    assert "Next refill: by Tue 06 Feb 2024" in text
    assert "The low-reservoir alarm will start on Tue 13 Feb 2024." in text
    assert "The pump will be empty on Sat 17 Feb 2024." in text
    assert "write the dates above" in text and "dates below" not in text


def test_sheet_says_what_each_alarm_sound_means_and_the_signs_in_plain_words(risk):
    text = _text(education_sheet(risk, MISSED_REFILL.therapy))
    assert "One beep about every hour" in text and "running low on medicine" in text
    assert "Two tones, again and again" in text and "no longer flowing" in text
    for sign in ("Itching without a rash", "Pins and needles", "Very sleepy or hard to wake"):
        assert sign in text
    assert "spinal cord injury at or above T6" in text


def test_sheet_gives_the_clinics_phone_and_hours_or_a_line_to_fill_in(risk):
    text = _text(education_sheet(risk, MISSED_REFILL.therapy, clinic=CLINIC))
    assert "Clinic Spasticity clinic Phone +44 20 7946 0000 Open Mon-Fri 08:00-17:00" in text
    blank = education_sheet(risk, MISSED_REFILL.therapy)
    assert blank.count('<span class="blank">') == 3


def test_sources_are_one_footnote_and_not_beside_each_line(risk):
    page = education_sheet(risk, MISSED_REFILL.therapy)
    body, footer = page.split("<footer>")
    for key in SHEET_SOURCES:
        assert key not in _text(body)
        assert sources.resolve(key) in footer
    assert "<script" not in page and "http" not in page


def test_large_print_sheet_sets_18_point_type(risk):
    regular = education_sheet(risk, MISSED_REFILL.therapy)
    large = education_sheet(risk, MISSED_REFILL.therapy, large_print=True)
    assert "font-size:12pt" in regular and "font-size:18pt" in large
    assert _text(regular.split("</head>")[1]) == _text(large.split("</head>")[1])


@pytest.mark.parametrize(
    ("now_day", "first_line", "since"),
    [
        (35, "Next refill: as soon as possible. Call the clinic today.", ()),
        (
            41,
            "The pump is empty: call the clinic now.",
            (
                "The low-reservoir alarm has been sounding since Tue 13 Feb 2024.",
                "The pump has been empty since Sat 17 Feb 2024.",
            ),
        ),
    ],
)
def test_a_late_or_empty_pump_is_said_as_such_never_with_a_refill_date_past(
    now_day, first_line, since
):
    therapy = MISSED_REFILL.therapy
    dates = pump_dates(therapy, now_h=now_day * 24.0)
    risk = assess_risk("missed_refill", MISSED_REFILL, None, dates)
    text = _text(education_sheet(risk, therapy))
    assert f"Your dates {first_line}" in text
    assert "Next refill: by" not in text
    for line in since:
        assert line in text
