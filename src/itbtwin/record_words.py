"""A stored record's values in a clinician's words, for every face that shows what the store wrote
(the web's record tables and audit view, the CLI's `itbtwin audit`): ISO text in the one date
format, quantity text ("162.75000000000003 mcg/day") as a plain number with its unit, machine
keys in words, a pump program as its steps and doses. `--json` and exports keep what was stored.
"""

from __future__ import annotations

import re
from typing import Any

from itbtwin import display, pump
from itbtwin.errors import ItbError
from itbtwin.pump import find_device

ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(?P<zone>Z|[+-]\d{2}:\d{2})?)?"
)
"""A date or moment the store wrote as ISO 8601 text (record tables, audit entries); a moment
with its UTC offset (an export's time) is shown with its zone ("... 18:49 UTC")."""
QUANTITY = re.compile(r"(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?) ([a-zA-Z/]+)")
"""A quantity the store wrote as text with its unit ("162.75000000000003 mcg/day")."""
MACHINE_KEYS = frozenset({"kind", "rule", "rules", "verdict", "mode", "phase", "role", "state"})
"""Record fields whose values are machine keys ("missed_visit"), shown in words; any other text
is shown as the user wrote it."""
WEEKDAYS = {day: day.capitalize() for day in pump.WEEKDAYS}
"""A program step's or bolus's days (the scenario format's keys) as a clinician writes them."""


def key_like(text: str) -> bool:
    """Whether a text is a machine key ("missed_visit"), which a page shows in words."""
    return bool(re.fullmatch(r"[a-z]+(_[a-z]+)+", text))


def readable(value: Any, digits: int = display.SIGNIFICANT_DIGITS, words: bool = False) -> str:
    """Any recorded value as a clinician reads it: ISO text in the one date format, numbers
    plain with `digits` significant digits, yes and no, "-" for nothing; with `words`, a machine
    key in words ("missed visit"). Text a user typed is otherwise shown as written."""
    if words and isinstance(value, str) and key_like(value):
        return display.in_words(value)
    if isinstance(value, str) and (moment := ISO_MOMENT.fullmatch(value)):
        if len(value) == 10:
            return display.format_date(value)
        return display.format_datetime(value, zone=moment["zone"] is not None)
    if isinstance(value, str) and (quantity := QUANTITY.fullmatch(value)):
        return display.format_number(float(quantity[1]), quantity[2], digits)
    if isinstance(value, float):
        return display.format_number(value, digits=digits)
    if is_program(value):
        return program_words(value, digits)
    if is_reason(value):
        return reason_words(value)
    if isinstance(value, dict):
        return "; ".join(": ".join(labelled(k, v, digits)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(readable(v, digits, words) for v in value)
    return display.format_value(value)


def labelled(key: str, value: Any, digits: int) -> tuple[str, str]:
    """A record's field as (label, value) for a clinician; a duration in hours reads in days
    past 48 h ("Window: 3 days"), an empty text as "-"."""
    if key.endswith("_h") and isinstance(value, int | float) and not isinstance(value, bool):
        return display.human_label(key[:-2]), display.format_elapsed_h(value)
    if is_percent(key, value):
        return display.human_label(key).removesuffix(" (%)"), percent_text(key, value, digits)
    if value in ("", [], {}):  # nothing given ("Adverse effects: -", not a dangling colon)
        return display.human_label(key), display.MISSING
    if key == "fraction" and isinstance(value, int | float) and not isinstance(value, bool):
        # a catheter fault's share of the flow, (0, 1]
        return "Share of the flow affected", display.format_number(100 * value, "%", digits)
    if key == "device" and isinstance(value, str):
        return display.human_label(key), device_name(value)
    return display.human_label(key), readable(value, digits, key in MACHINE_KEYS)


SIGNED_PERCENTS = frozenset({"error_pct"})
"""Percentages that are a change, shown signed with one decimal as every face writes a delivery
error ("+2.7%", `display.format_percent_change`); any other (a share of the flow) as "30%"."""


def is_percent(key: str, value: Any) -> bool:
    """Whether a record's field is a percentage (a number under a `_pct` key)."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return key.endswith("_pct") and number


def percent_text(key: str, value: float, digits: int = display.SIGNIFICANT_DIGITS) -> str:
    """A percentage field's value with its % sign: signed for a change (`SIGNED_PERCENTS`,
    "+2.7%"), else plain ("30%"); the label drops its "(%)"."""
    if key in SIGNED_PERCENTS:
        return display.format_percent_change(value)
    return display.format_number(value, "%", digits)


def device_name(key: str) -> str:
    """A pump model's catalogue name ("SynchroMed II 20 mL (8637-20)"), not its key; a key the
    catalogue lacks (a clinic's own pump in an imported record) as written."""
    try:
        return find_device(key).name
    except ItbError:
        return key


def is_reason(value: Any) -> bool:
    """Whether a stored value is a check's reason (`clinic.Reason.as_dict`)."""
    return isinstance(value, dict) and {"rule", "verdict", "text"} <= value.keys()


def reason_words(reason: dict[str, Any]) -> str:
    """A check's reason as the CLI prints it: "WARN: the text (rule in words; source key)"."""
    source = f"; source {reason['source']}" if reason.get("source") else ""
    rule = display.in_words(str(reason["rule"]))
    return f"{str(reason['verdict']).upper()}: {reason['text']} ({rule}{source})"


def is_program(value: Any) -> bool:
    """Whether a stored value is a pump program document (the scenario format's `[[program]]`
    table without `at`, as program versions, implants and their audit entries store it)."""
    return isinstance(value, dict) and value.get("mode") in ("continuous", "flex", "periodic")


def _days(part: dict[str, Any]) -> str:
    days = part.get("days")
    if not days:
        return ""
    return f" ({', '.join(WEEKDAYS.get(str(d), str(d)) for d in days)} only)"


def _dose(text: Any, digits: int) -> str:
    """A dose, rate or duration of a program document ("25.0 mcg") as read ("25 mcg")."""
    return readable(text, digits)


def program_words(document: dict[str, Any], digits: int = display.SIGNIFICANT_DIGITS) -> str:
    """A program document as a clinician reads it, each flex step with its start time and
    dose: "Flex at 500 mcg/mL: from 00:00 for 10 h, 200 mcg/day; from 10:00 for 14 h,
    300 mcg/day". Continuous: "Continuous, 155 mcg/day at 500 mcg/mL"; periodic adds each
    bolus ("bolus 25 mcg at 08:00 over 1 h"), demand settings their limits."""
    mode, at = document["mode"], _dose(document.get("concentration"), digits)
    if mode == "flex":
        steps = [
            f"from {s.get('start')} for {_dose(s.get('duration'), digits)}, "
            f"{_dose(s.get('rate'), digits)}{_days(s)}"
            for s in document.get("step") or ()
        ]
        text = f"Flex at {at}: " + "; ".join(steps)
    else:
        text = f"{mode.capitalize()}, {_dose(document.get('daily_dose'), digits)} at {at}"
    boluses = [
        f"bolus {_dose(b.get('dose'), digits)} at {b.get('at')} over "
        f"{_dose(b.get('duration'), digits)}{_days(b)}"
        for b in document.get("bolus") or ()
    ]
    demand = document.get("demand")
    if demand:
        boluses.append(
            f"patient bolus {_dose(demand.get('dose'), digits)} over "
            f"{_dose(demand.get('duration'), digits)}, lockout "
            f"{_dose(demand.get('lockout'), digits)}, at most {demand.get('max_per_day')} a day"
        )
    return "; ".join([text, *boluses])
