"""The pages' Jinja filters: every value a clinician reads goes through `itbtwin.display`, so a page
shows a date, an elapsed time, a dose or a label exactly as the CLI tables and the reports do
(one date format, hours then days past 48 h, plain numbers, words instead of machine keys)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from markupsafe import Markup

from itbtwin import display
from itbtwin.audit_labels import AUDIT_DIGITS, audit_action, audit_fields, audit_kind
from itbtwin.record_words import MACHINE_KEYS, device_name, is_percent, percent_text, readable

VERDICTS = ("pass", "warn", "block")
"""A safety check's verdicts, shown as badges (a first program version's "initial" is
`display.program_check`'s words)."""


def day(value: date | str | None) -> str:
    """A calendar day as "Mon 07 Dec 2026" ("-" when there is none)."""
    return display.MISSING if value is None else display.format_date(value)


def moment(value: datetime | str | None) -> str:
    """A moment as "Mon 07 Dec 2026 09:00" ("-" when there is none)."""
    return display.MISSING if value is None else display.format_datetime(value)


def days_left(hours: float | None, dates: Any = None) -> str:
    """Hours ahead: "in 36 h" up to 48 h, "in 3.8 days" beyond, rounded as days of drug left
    are (`display.format_elapsed_h`), so "empty in 3.8 days" and "3.8 days of drug left" agree;
    once past, since when: "now" within the hour, "3 days ago" (an alarm sounding for days is
    not "now"). With the pump's `dates` (`clinic.PumpDates`), none because the pump stops first
    reads "after end of service", as `days_of_drug` does."""
    if hours is None:
        return days_of_drug(None, dates)
    if -1 < hours <= 0:
        return "now"
    if hours < 0:
        return f"{display.format_elapsed_h(-hours)} ago"
    return f"in {display.format_elapsed_h(hours)}"


def days_of_drug(days: float | None, dates: Any = None) -> str:
    """Days of drug left (`display.format_days_of_drug`); with the pump's `dates`
    (`clinic.PumpDates`), "after end of service" where the pump stops before it empties."""
    return display.format_days_of_drug(days, stops_first=getattr(dates, "eos_h", None) is not None)


def pump_moment(dates: Any, t_h: float | None) -> str:
    """When a pump event at `t_h` (h on the pump clock of `dates`, `clinic.PumpDates`) falls,
    "after end of service" where the pump stops first (`display.format_event_moment`)."""
    return display.format_event_moment(dates.local(t_h), stops_first=dates.eos_h is not None)


def refill_window(window: Any) -> str:
    """A pump's refill window (`clinic.RefillWindow`) as a clinician writes it: "Mon 07 Dec
    2026 to Fri 11 Dec 2026" ("today to ..." once it has opened); with no day left, what to do
    instead (`no_day_left`)."""
    if window.latest is None:
        return no_day_left(window)
    start = day(window.earliest) if window.earliest else "today"
    return f"{start} to {day(window.latest)}"


def no_day_left(window: Any) -> str:
    """What a window with no refill day left calls for, in the clinic's words
    (`clinic.overdue_action`): "Overdue: refill now", or "Replace the pump (ERI reached on
    ...)" when the ERI sets the deadline, which no refill moves."""
    action = window.action or ""
    if window.limited_by == "eri":
        return action[:1].upper() + action[1:]
    return f"Overdue: {action}"


def number(
    value: float | None, unit: str | None = None, digits: int = display.SIGNIFICANT_DIGITS
) -> str:
    """A clinical quantity in plain decimals (never scientific notation), with its unit."""
    return display.format_number(value, unit, digits)


def count(value: int, noun: str) -> str:
    """A count with its noun in the right number: "1 implanted pump", "3 implanted pumps"."""
    return display.format_count(value, noun)


def verdict(value: Any) -> Markup:
    """A check's verdict as its badge ("PASS", "WARN", "BLOCK"), styled by its class."""
    key = str(getattr(value, "value", value)).lower()
    text = re.sub(r"\[/?[^\]]*\]", "", display.badge(key))
    return Markup('<span class="badge {}">{}</span>').format(key, text)


def cell(value: Any, key: str = "") -> str:
    """A record table's cell (`store.patient_tables`): a check's verdict as its badge, anything
    else through `readable`."""
    if key == "verdict":
        return verdict(value) if value in VERDICTS else display.program_check(value)
    if is_percent(key, value):
        return percent_text(key, value)
    return readable(value, words=key in MACHINE_KEYS)


ENTERED_DIGITS = 4
"""Significant digits of a dose on the program change's review: the daily total as it was typed
(162.8 mcg/day, not 163), so that the one confirming reads what the pump will be told."""


def audit_record(what: Any) -> Markup | str:
    """An audit entry's record (or its before or after) as lines "Label: value"
    (`audit_labels.audit_fields`, which the CLI's `itbtwin audit` shows too)."""
    if not isinstance(what, dict):
        return readable(what, AUDIT_DIGITS)
    lines = [Markup("<li>{}: {}</li>").format(*pair) for pair in audit_fields(what)]
    return Markup('<ul class="record">{}</ul>').format(Markup("").join(lines)) if lines else ""


def audit_about(what: Any) -> Markup | str:
    """An audit entry's record without its before and after (shown beside them): which pump,
    proposal or version, the check's verdict, as `audit_record` lines."""
    if not isinstance(what, dict):
        return audit_record(what)
    return audit_record({k: v for k, v in what.items() if k not in ("before", "after")})


def entered(value: float | None, unit: str) -> str:
    """A dose as entered on the program change's review (`ENTERED_DIGITS`)."""
    return display.format_number(value, unit, ENTERED_DIGITS)


FILTERS = {
    "day": day,
    "moment": moment,
    "days_left": days_left,
    "elapsed": display.format_elapsed_h,
    "number": number,
    "entered": entered,
    "count": count,
    "device": device_name,
    "verdict": verdict,
    "cell": cell,
    "readable": readable,
    "audit_record": audit_record,
    "audit_about": audit_about,
    "label": display.human_label,
    "words": display.in_words,
    "audit_action": audit_action,
    "refill_window": refill_window,
    "no_day_left": no_day_left,
    "days_of_drug": days_of_drug,
    "pump_moment": pump_moment,
    "mas_not_predicted": display.mas_not_predicted,
    "audit_kind": audit_kind,
}
"""Registered once on the pages' Jinja environment (`_pages.templates`)."""
