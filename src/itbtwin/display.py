"""How a clinician reads a value: one date format, hours then days, plain numbers, human labels.

Every face (CLI tables, reports, web pages) shows values through these helpers so that a date,
an elapsed time or a dose reads the same everywhere (issue 12, point 8). Machine output
(`--json`, NONMEM, FHIR) keeps ISO dates, canonical magnitudes and machine keys; these helpers
are for people only.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

DATE_FORMAT = "%a %d %b %Y"
"""A calendar day, e.g. "Mon 07 Dec 2026": the weekday guards against a misread day/month."""

DATETIME_FORMAT = DATE_FORMAT + " %H:%M"
"""A moment, e.g. "Mon 07 Dec 2026 09:00" (24-hour clock, minutes are enough in clinic)."""

DAYS_AFTER_H = 48.0
"""Elapsed times longer than this (h) are shown in days: "3.5 days" reads better than "84 h"."""

SIGNIFICANT_DIGITS = 3
"""Significant digits of a clinical quantity; whole-number parts are never rounded away."""

MISSING = "-"
"""How an absent value (None, NaN) is shown; callers say in words what absence means."""


def format_datetime(moment: datetime | str, *, zone: bool = False) -> str:
    """A moment as "Mon 07 Dec 2026 09:00"; with ``zone`` the zone's abbreviation ("... CET").

    An ISO 8601 string is read first. Asking for the zone of a naive moment is an error: the
    zone is never guessed.
    """
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    text = moment.strftime(DATETIME_FORMAT)
    if not zone:
        return text
    if moment.tzinfo is None:
        raise ValueError(f"{moment.isoformat()} has no time zone to show")
    return f"{text} {moment.strftime('%Z')}"


def format_date(day: date | str) -> str:
    """A calendar day as "Mon 07 Dec 2026" (a datetime shows its date; ISO strings are read)."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return day.strftime(DATE_FORMAT)


def format_number(
    value: float | None, unit: str | None = None, digits: int = SIGNIFICANT_DIGITS
) -> str:
    """A quantity in plain decimal notation with ``digits`` significant digits, then its unit.

    Never scientific notation (a dose of "1.2e+03" is a reading error waiting to happen); the
    whole-number part is kept in full (12345.6 -> "12346"); trailing zeros are dropped.
    None and NaN show as "-".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    value = float(value)
    if math.isinf(value):
        text = "∞" if value > 0 else "-∞"
    elif value == 0:
        text = "0"
    else:
        decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
        text = f"{round(value, decimals):.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text == "-0":
            text = "0"
    if unit is None:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def format_count(count: int, noun: str) -> str:
    """A count with its noun in the right number: "1 implanted pump", "3 revisions" (not
    "1 implanted pump(s)"). Regular plurals only (the nouns of a clinic's tables)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def format_percentile(probability: float) -> str:
    """A quantile's probability as a percentile: 0.5 -> "50th percentile", 0.01 -> "1st"."""
    number = format_number(100 * probability)
    last = number[-1]
    suffix = "th"
    if "." not in number and not number.endswith(("11", "12", "13")) and last in "123":
        suffix = {"1": "st", "2": "nd", "3": "rd"}[last]
    return f"{number}{suffix} percentile"


DAYS_DECIMALS = 1
"""Decimals of a number of days, one rounding on every face (an elapsed time past 48 h, days of
drug left in a risk's reason, its table cell, the dashboard): "3.8" in the column and "3.8 days
of drug left" in the reason (issue 15); "4.1 days", not "4.08 days" (h41)."""


def format_days(days: float) -> str:
    """A number of days (d) with `DAYS_DECIMALS` decimals, the one rounding rule for days: half
    up on the decimal value as written (2.25 -> "2.3", as a clinician rounds by hand, not
    binary floating point's half to even), trailing zero dropped ("4" for 4.0)."""
    if math.isinf(days):
        return format_number(days)
    step = Decimal(1).scaleb(-DAYS_DECIMALS)
    exact = Decimal(repr(float(days)))  # precision enough for the largest float's 309 digits
    text = f"{exact.quantize(step, ROUND_HALF_UP, Context(prec=400)):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def format_elapsed_h(hours: float | None) -> str:
    """An elapsed time given in hours: "36 h" up to 48 h (`format_number`), beyond that in days
    with one decimal (`format_days`): "3.5 days", "4.1 days" for 98 h."""
    if hours is None or math.isnan(hours):
        return MISSING
    if abs(hours) <= DAYS_AFTER_H:
        return format_number(hours, "h")
    return f"{format_days(hours / 24.0)} days"


def format_days_left(days: float | None) -> str:
    """Days of drug left (d) as a clinician reads them: "3.8" (`format_days`, "4" for 4.0),
    "under 0.1" for the last hours, "none, empty 36 h" once the reservoir is empty."""
    if days is None or math.isnan(days):
        return MISSING
    if days <= 0:
        return f"none, empty {format_elapsed_h(-days * 24.0)}"
    text = format_days(days)
    return f"under {0.1**DAYS_DECIMALS:g}" if text == "0" else text


AFTER_END_OF_SERVICE = "after end of service"
"""Days of drug of a pump whose battery ends before its reservoir empties: the reservoir has no
empty date because the pump stops first (as `refill plan` reads it), not a bare "-"."""


def format_days_of_drug(days: float | None, *, stops_first: bool = False) -> str:
    """Days of drug left for any face's table (CLI, web, reports): `format_days_left`, and
    `AFTER_END_OF_SERVICE` where there are no days because the pump reaches its end of service
    first (`stops_first`: no empty date, an end-of-service date)."""
    if days is None and stops_first:
        return AFTER_END_OF_SERVICE
    return format_days_left(days)


def format_event_moment(when: datetime | None, *, stops_first: bool = False) -> str:
    """When a pump event (low-reservoir alarm, empty reservoir) falls, for any face's table;
    none because the pump reaches its end of service first (`stops_first`) reads
    `AFTER_END_OF_SERVICE`, any other absence "-"."""
    if when is None:
        return AFTER_END_OF_SERVICE if stops_first else MISSING
    return format_datetime(when)


def mas_not_predicted(patient: str | None) -> str:
    """Why a dry run's MAS cells are blank ("-"), said under the table on every face: the
    predicted MAS is measured from a baseline, and a recorded `patient` has no assessment before
    the implant (None: a scenario file without `[patient] baseline_mas`)."""
    where = (
        "the scenario gives no [patient] baseline_mas"
        if patient is None
        else f"the records hold no assessment of {patient} before the implant"
    )
    return f"MAS not predicted: {where}, the baseline the predicted MAS is measured from"


def format_percent_change(percent: float | None) -> str:
    """A signed percentage with one decimal, as every face writes a delivery error or a dose
    step: "+2.7%", "-10.0%" ("-" when not computed, e.g. a first fill)."""
    if percent is None or math.isnan(percent):
        return MISSING
    text = f"{percent:+.1f}"
    return f"{'0.0' if float(text) == 0 else text}%"


_LABELS: dict[str, str] = {
    "csf_lumbar": "Lumbar CSF",
    "csf_cisternal": "Cisternal CSF",
    "plasma": "Plasma",
    # patients and pumps
    "patient": "Patient",
    "identifier": "Patient",
    "name": "Name",
    "age_years": "Age (years)",
    "weight_kg": "Weight (kg)",
    "origin": "Origin of spasticity",
    "serial": "Pump serial",
    "device": "Pump model",
    "reservoir_ml": "Reservoir (mL)",
    "volume_ml": "Volume (mL)",
    # programs and doses
    "daily_dose_mcg": "Daily dose (mcg/day)",
    "mean_daily_dose_mcg": "Daily dose (mcg/day)",
    "mcg_per_day": "Daily dose (mcg/day)",
    "concentration_mcg_per_ml": "Concentration (mcg/mL)",
    "mcg_per_ml": "Concentration (mcg/mL)",
    "rate_ml_per_day": "Delivery rate (mL/day)",
    "mean_use_ml_per_day": "Mean use (mL/day)",
    "effective_at": "Effective from",
    "verdict": "Check",
    "override_reason": "Override reason",
    "entered_by": "Entered by",
    # refills and schedule
    "performed_at": "Performed",
    "last_fill": "Last fill",
    "withdrawn_ml": "Withdrawn (mL)",
    "expected_ml": "Expected (mL)",
    "injected_ml": "Injected (mL)",
    "measured_ml": "Measured (mL)",
    "error_pct": "Delivery error",
    "refill_by": "Refill by",
    "low_reservoir_at": "Low-reservoir alarm",
    "empty_at": "Reservoir empty",
    "days_of_drug": "Days of drug",
    # assessments and PK
    "assessed_at": "Assessed",
    "last_mas": "Last MAS",
    "penn_frequency": "Penn spasm frequency (0-4)",
    "penn_severity": "Penn spasm severity (1-3)",
    "mas": "MAS",
    "mas_grade": "MAS grade",
    "effect_site_ng_ml": "Effect site (ng/mL)",
    "tone_reduction": "Tone reduction",
    "cmax_ng_ml": "Cmax (ng/mL)",
    "tmax_h": "Tmax (h)",
    "auc_ng_h_ml": "AUC (ng·h/mL)",
    "half_life_h": "Half-life (h)",
    # simulation summary
    "delivered_mcg": "Delivered (mcg)",
    "programmed_mcg": "Programmed (mcg)",
    "duration_h": "Duration (h)",
    "occurred_at": "When",
    "programmed_mcg_per_ml": "Programmed concentration (mcg/mL)",
    # audit trail
    "at_utc": "When (UTC)",
    "actor": "Who",
    "action": "Action",
    "why": "Why",
    "kind": "Kind",
    "detail": "Detail",
    "source": "Source",
    # virtual trials
    "patients": "Patients",
    "patient_years": "Patient-years",
    "patients_counted": "Patients counted",
    "per_1000_patient_years": "Per 1,000 patient-years",
    "pump_per_1000_patient_years": "Pump events per 1,000 patient-years",
    "withdrawal_days_per_patient_year": "Days in withdrawal per patient-year",
    "share_of_patients": "Share of patients",
    "share_of_time": "Share of time",
    "share_in_band": "Share in band",
    "share_above": "Share above (ng/mL)",
    "threshold_tone_reduction": "Withdrawal threshold (tone reduction)",
}
"""Machine keys (as in `--json` and the store) and the label a clinician reads for each."""

_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_mcg_per_ml", "mcg/mL"),
    ("_mcg_per_day", "mcg/day"),
    ("_mcg_per_h", "mcg/h"),
    ("_ml_per_day", "mL/day"),
    ("_ng_h_ml", "ng·h/mL"),
    ("_ng_ml", "ng/mL"),
    ("_mcg", "mcg"),
    ("_ml", "mL"),
    ("_kg", "kg"),
    ("_cm", "cm"),
    ("_h", "h"),
    ("_days", "days"),
    ("_pct", "%"),
)
"""Unit suffixes of the store's column convention (DESIGN.md: units in the key names)."""


ACRONYMS = {"eri": "ERI", "eos": "EOS", "mri": "MRI", "csf": "CSF", "itb": "ITB", "mas": "MAS"}
"""Words a clinician reads in capitals, whatever the machine key's case."""


def in_words(key: str) -> str:
    """A machine key inside a sentence: "eri" -> "ERI", "catheter_fracture" -> "catheter
    fracture" (lower case, acronyms in capitals)."""
    return " ".join(ACRONYMS.get(word, word) for word in key.lower().split("_") if word)


def human_label(key: str) -> str:
    """The label a clinician reads for a machine key: "daily_dose_mcg" -> "Daily dose (mcg/day)".

    Keys in the table get their reviewed label; any other key is spelt out from the naming
    convention (words from snake_case, the unit suffix in brackets), so no table shows snake_case.
    """
    if key in _LABELS:
        return _LABELS[key]
    unit = ""
    for suffix, name in _UNIT_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key, unit = key[: -len(suffix)], f" ({name})"
            break
    words = re.sub(r"_+", " ", key).strip()
    words = re.sub(r"\bpct\b", "%", words)
    return (words[:1].upper() + words[1:]) + unit


class Markup(str):
    """Rich markup written by itbtwin itself (a badge, a status): a table shows it styled, while
    every other text (identifiers, names, notes a user typed) is shown exactly as written."""


_BADGES = {
    "pass": Markup("[bold green]PASS[/]"),
    "warn": Markup("[bold yellow]WARN[/]"),
    "block": Markup("[bold red]BLOCK[/]"),
}


FIRST_PROGRAM_CHECK = "set at implant: no change to check"
"""What the safety check column reads for a pump's first program version, stored with the machine
verdict "initial" (`--json` keeps it): the check judges a change, and the implant's program
changes nothing (issue 17: tables read "initial")."""


def program_check(verdict: str) -> str:
    """A stored program version's check for a table: the first version's in words
    (`FIRST_PROGRAM_CHECK`), any other verdict as stored (each face badges those)."""
    return FIRST_PROGRAM_CHECK if verdict == "initial" else verdict


def badge(verdict: str) -> str:
    """The badge of a check's verdict ("pass", "warn", "block"; a `Verdict` is one) as Rich markup.

    Badges belong to safety checks only; other states are written out in words.
    """
    try:
        return _BADGES[str(verdict).lower()]
    except KeyError:
        raise ValueError(f"{verdict!r} is not a check verdict (pass, warn or block)") from None


def format_value(value: Any) -> str:
    """Any table cell for a clinician: moments and days in the one format, numbers plain."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return format_datetime(value, zone=value.tzinfo is not None)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    return str(value)
