"""What a clinic record may hold: the characters of identifiers and text, the dates a record can
carry, and each field's physical bounds with the reason (issue 17 point 2).

The store's functions check these, so the CLI, the web workspace and the imports (JSON, FHIR) all
refuse the same values; `BOUNDS` is the table `docs/records.md` ("Bounds of each field") lists,
and a test keeps the two equal.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from itbtwin.display import format_number
from itbtwin.errors import RecordError, shown
from itbtwin.pump import (
    ALARMS,
    CATHETER_LENGTH_CM,
    FAULT_KINDS,
    FIRST_PROGRAMMABLE_PUMP,
    SMALLEST_FILL_ML,
)
from itbtwin.units import BODY_WEIGHT_KG, DRUG_CONCENTRATION_MCG_PER_ML, KINDS

IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
"""A patient identifier, pump serial or lot number: 1-40 characters, ASCII letters, digits, ".",
"_" and "-", starting with a letter or digit. It names files, rows of CSV exports and web
addresses, so it can hold no path (``../``), markup, formula (``=``), blank or control code."""
IDENTIFIER_RULE = (
    "1-40 characters: letters A-Z a-z, digits 0-9, '.', '_' or '-', starting with a letter or digit"
)
TEXT_LONGEST = 200
"""Characters a free-text field may hold (its column's length, `_schema.Base`)."""

EARLIEST_BIRTH = date(1900, 1, 1)
"""No patient alive and treated was born before 1900 [assumption: such a date is a typing error]."""
EARLIEST_IMPLANT = FIRST_PROGRAMMABLE_PUMP
"""No implant before the first programmable pump (`pump.FIRST_PROGRAMMABLE_PUMP`, 1988)."""

RECORDED_EVENTS = {"pocket_fill_suspected": "refill: a suspected pocket fill (refill check)"}
RECORDED_EVENTS["missed_visit"] = "clinic: a refill visit the patient did not attend"
RECORDED_EVENTS["interrogation"] = "pump: read with the clinician programmer"
RECORDED_EVENTS["other"] = "anything else, described in the detail"
EVENT_KINDS = sorted(
    {*ALARMS, *FAULT_KINDS, *RECORDED_EVENTS}
    | {f"catheter_{k}" for k in FAULT_KINDS if FAULT_KINDS[k].startswith("catheter")}
)
"""Event kinds a pump record accepts: the pump's alarms (`pump.ALARMS`), the faults the twin
replays (`pump.FAULT_KINDS`, catheter faults also as ``catheter_<fault>``) and what a clinic
records besides (`RECORDED_EVENTS`)."""


@dataclass(frozen=True)
class Bound:
    """One field's allowed values and why; `low`/`high` in the field's unit (None: no bound)."""

    field: str
    low: float | None
    high: float | None
    unit: str
    reason: str


BOUNDS = (
    Bound("weight_kg", *BODY_WEIGHT_KG, "kg", KINDS["weight"].why),
    Bound("missed_visits", 0, 100, "visits", "a count; more than 100 is a typing error"),
    Bound(
        "catheter_length_cm",
        *CATHETER_LENGTH_CM,
        "cm",
        "an implanted intrathecal catheter is 1-200 cm",
    ),
    Bound(
        "injected_ml",
        SMALLEST_FILL_ML,
        None,
        "mL",
        "a fill smaller than a syringe measures (0.1 mL)",
    ),
    Bound("volume_ml", 0.0, None, "mL", "no volume may exceed the pump's reservoir"),
    Bound(
        "concentration_mcg_per_ml",
        *DRUG_CONCENTRATION_MCG_PER_ML,
        "mcg/mL",
        "a baclofen solution a pump can hold (products 50-2000 mcg/mL)",
    ),
    Bound("flex_steps", 1, None, "steps", "the device's flex-step limit (13, SynchroMed II)"),
    Bound("penn_frequency", 0, 4, "score", "the Penn spasm frequency scale is 0-4"),
    Bound("penn_severity", 1, 3, "score", "the Penn spasm severity scale is 1-3"),
    Bound("fraction", 0.0, 1.0, "share", "a share of the flow, more than 0 and at most 100 %"),
)
"""Each numeric field's bounds (the reservoir, product and flex-step limits come from the pump
and drug catalogues); `docs/records.md` lists them with the date bounds."""

BOUND = {b.field: b for b in BOUNDS}


def check_identifier(text: str, what: str) -> str:
    """An identifier or serial as stored, or a `RecordError` naming the allowed characters."""
    if not isinstance(text, str) or not IDENTIFIER.fullmatch(text):
        raise RecordError(f"{what} {shown(str(text))} is not allowed: use {IDENTIFIER_RULE}")
    return text


PHONE = re.compile(r"\+?[0-9(][0-9 ().\-/]{1,30}[0-9](?: ?(?:ext\.?|x) ?[0-9]{1,6})?")
"""A telephone number as a patient dials it: digits with spaces, brackets, dots, dashes or
slashes, an optional leading "+" and extension ("ext. 12"). The patient's education sheet and
pump card print it for an alarm (label: the patient must know whom to call), so "abc" or a
formula ("=1+1") is refused rather than printed (issue 17)."""


def check_phone(text: str, what: str) -> str:
    """A phone number (`PHONE`, at least 3 digits) or a `RecordError` saying what is expected."""
    if not PHONE.fullmatch(text) or sum(c.isdigit() for c in text) < 3:
        raise RecordError(
            f"{what} {shown(text)} is not a phone number: digits with spaces, brackets, '-', "
            "'.' or '/', an optional leading '+' and extension ('ext. 12')"
        )
    return text


def check_text(text: str, what: str) -> str:
    """Free text (a diagnosis, a lot, a detail, a reason): at most `TEXT_LONGEST` characters and
    no control code (a newline, a terminal escape), which would forge lines in the records."""
    if len(text) > TEXT_LONGEST:
        raise RecordError(f"{what} is longer than {TEXT_LONGEST} characters ({len(text)})")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise RecordError(f"{what} holds a control character (a newline or escape code)")
    return text


BOUND_DIGITS = 6
"""Significant digits of a value a bound refuses: what was typed (10000.5), never rounded onto
the bound it broke."""
WRITTEN_OUT = (1e-6, 1e12)
"""Sizes a refused value is written out in full between; a smaller or larger one is said as
under or over that edge (hundreds of digits read no better than "1e+300")."""


def _refused_value(value: float) -> str:
    """A value outside its bound in plain decimals, never scientific notation (a count of a
    billion is "1000000000", not "1e+09")."""
    small, large = WRITTEN_OUT
    if 0 < abs(value) < small:
        return f"under {format_number(small, digits=1)}" if value > 0 else "just under 0"
    if abs(value) >= large:
        return f"{'over' if value > 0 else 'under'} {format_number(math.copysign(large, value))}"
    return format_number(value, digits=BOUND_DIGITS)


def check_bound(name: str, value: float, what: str | None = None) -> float:
    """Refuse a value outside `BOUND[name]`, with the reason."""
    bound = BOUND[name]
    low = -math.inf if bound.low is None else bound.low
    high = math.inf if bound.high is None else bound.high
    if not low <= value <= high:
        edges = [format_number(b, digits=BOUND_DIGITS) for b in (low, high)]
        expected = f"at least {edges[0]}" if bound.high is None else "-".join(edges)
        raise RecordError(
            f"{what or name} {_refused_value(value)} {bound.unit} is impossible (expected "
            f"{expected} {bound.unit}: {bound.reason})"
        )
    return value


def check_event_kind(kind: str) -> str:
    """A known event kind (`EVENT_KINDS`) in its stored spelling (lower case: "Occlusion" is
    "occlusion"), or a `RecordError` listing them."""
    canonical = kind.strip().lower()
    if canonical not in EVENT_KINDS:
        raise RecordError(f"unknown event kind {shown(kind)}; use one of {', '.join(EVENT_KINDS)}")
    return canonical


def fault_kind(kind: str) -> str | None:
    """The twin's fault (`pump.FAULT_KINDS`) a recorded event kind names, or None: the one
    vocabulary the risk rules, the replay and the catheter checks read events with, so that
    "occlusion", "Occlusion" and "catheter_occlusion" are the same fault (issue: open faults
    counted exact names only)."""
    name = kind.strip().lower()
    bare = name.removeprefix("catheter_")
    if bare != name and not FAULT_KINDS.get(bare, "").startswith("catheter"):
        return None  # "catheter_" names only the catheter's faults
    return bare if bare in FAULT_KINDS else None


FAULT_EVENT_KINDS = tuple(k for k in EVENT_KINDS if fault_kind(k) is not None)
"""The stored event kinds that name a fault (`fault_kind`), for a query that selects them."""


def check_birth(birth_date: date, today: date) -> None:
    """A birth date from `EARLIEST_BIRTH` to today."""
    if birth_date > today:
        raise RecordError(f"the birth date {birth_date} is in the future")
    if birth_date < EARLIEST_BIRTH:
        raise RecordError(
            f"the birth date {birth_date} is before {EARLIEST_BIRTH:%Y}: a typing error"
        )


def check_implant_date(implanted_at: datetime, birth_date: date) -> None:
    """An implant after the patient's birth and no earlier than the first programmable pump."""
    if implanted_at.date() < EARLIEST_IMPLANT:
        raise RecordError(
            f"the implant {implanted_at:%Y-%m-%d} is before {EARLIEST_IMPLANT:%Y}, when the first "
            "programmable intrathecal pump (SynchroMed) was approved"
        )
    if implanted_at.date() < birth_date:
        raise RecordError(
            f"the implant {implanted_at:%Y-%m-%d} is before the patient's birth ({birth_date})"
        )


def check_in_service(
    at: datetime, implanted_at: datetime, explanted_at: datetime | None, what: str
):
    """A pump record (event, refill, revision) from its implant to its explant."""
    if at < implanted_at:
        raise RecordError(
            f"{what} {at:%Y-%m-%d %H:%M} is before the implant {implanted_at:%Y-%m-%d %H:%M}"
        )
    if explanted_at is not None and at > explanted_at:
        raise RecordError(
            f"{what} {at:%Y-%m-%d %H:%M} is after the pump's explant {explanted_at:%Y-%m-%d %H:%M}"
        )
