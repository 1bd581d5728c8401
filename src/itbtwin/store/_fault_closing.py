"""What closes a recorded fault, by kind, and how many refill visits a patient has missed.

A fault stays open until the record that ends it: a catheter fault until the catheter is revised,
a refill fault until the next refill, a program fault until the pump is reprogrammed, an MRI motor
stall until the pump is interrogated. A record closes a fault only when it comes strictly after it
(a refill and the pocket fill it caused share a time). A new pump ends every fault of the old one
(only the implanted pump's faults are read). `CLOSED_BY` is the one table `store.open_faults` and
the clinic overview read (docs/records.md "What closes a fault").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

CLOSING_RECORDS = ("revision", "refill", "program", "interrogation")
"""Records that can close a fault: a catheter `Revision`, a `RefillRecord`, a stored
`ProgramVersion` and an ``interrogation`` event."""


@dataclass(frozen=True)
class Closing:
    """The records that close one fault kind (`CLOSING_RECORDS`; none: only a new pump), why,
    and the source."""

    records: tuple[str, ...]
    reason: str
    source: str


_CATHETER = Closing(
    ("revision",),
    "the catheter is replaced or shortened at a revision",
    "saulino2016-troubleshooting",
)
_REFILL = Closing(
    ("refill",),
    "the next refill puts a measured volume in the reservoir (the refill check looks for a "
    "pocket fill again)",
    "synchromed2:S23",
)
_PROGRAM = Closing(
    ("program",),
    "the pump runs a wrong or reset rate until it is reprogrammed",
    "synchromed2:S22",
)
_PUMP = Closing((), "the pump itself must be replaced", "synchromed2:S26")

CLOSED_BY: dict[str, Closing] = {
    "occlusion": _CATHETER,
    "kink": _CATHETER,
    "fracture": _CATHETER,
    "disconnection": _CATHETER,
    "pocket_fill": _REFILL,
    "missed_refill": _REFILL,
    "wrong_concentration": _PROGRAM,
    "unit_slip": _PROGRAM,
    "low_battery_reset": Closing(
        ("program",),
        "after a low-battery reset the rate stays at a very low level until reprogrammed",
        "synchromed2:S22",
    ),
    "mri": Closing(
        ("interrogation", "program", "refill"),
        "a pump alarming in telemetry mode after MRI does not resume until interrogated, and "
        "motor-stall recovery may show only at an interrogation (a refill or a program change "
        "interrogates the pump)",
        "synchromed2:S36",
    ),
    "premature_eri": _PUMP,
    "battery_failure": _PUMP,
    "motor_stall": _PUMP,
}
"""Each fault kind of `pump.FAULT_KINDS` and the records that close it (a test keeps the keys
equal)."""

MISSED_VISIT_EVENTS = ("missed_visit", "missed_refill")
"""Recorded event kinds that are a missed refill visit (the clinic's ``missed_visit`` and the
pump fault ``missed_refill``); the two on one day are one visit."""


def is_open(kind: str, occurred_at: datetime, last: Mapping[str, datetime | None]) -> bool:
    """Whether a fault of `kind` (a `pump.FAULT_KINDS` key) found at `occurred_at` is still open,
    given the newest record of each `CLOSING_RECORDS` kind at the question's time (`last`;
    None: none yet)."""
    for record in CLOSED_BY[kind].records:
        closed_at = last.get(record)
        if closed_at is not None and closed_at > occurred_at:
            return False
    return True


def missed_visits(before_records: int, events: Iterable[tuple[datetime, str]]) -> int:
    """Missed refill visits at the question's time: the count typed on the patient (visits
    missed before these records, undated history) plus the days with a recorded missed visit
    (`MISSED_VISIT_EVENTS`, only events at or before the question's time are passed)."""
    days: set[date] = {at.date() for at, kind in events if kind in MISSED_VISIT_EVENTS}
    return before_records + len(days)
