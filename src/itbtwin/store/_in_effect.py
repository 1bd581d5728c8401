"""What was in effect at a time: a pump's program version and its last fill.

Plain lookups over the rows already loaded (no clinical rules), kept apart from `_programs` so
that reading the records (`patient list`, the views) imports no clinic, pump or twin machinery
(issue 13 start-up).
"""

from __future__ import annotations

from datetime import datetime

from itbtwin.display import format_datetime
from itbtwin.errors import RecordError
from itbtwin.store._schema import ProgramVersion, Pump, RefillRecord


def version_at(pump: Pump, at: datetime) -> ProgramVersion:
    """The program version in effect at a time."""
    found = [v for v in pump.programs if v.effective_at <= at]
    if not found:
        raise RecordError(f"pump {pump.serial} has no program at {format_datetime(at)}")
    return max(found, key=lambda v: (v.effective_at, v.version))


def fill_at(pump: Pump, at: datetime) -> RefillRecord:
    """The last fill (implant fill or refill) at or before a time."""
    found = [r for r in pump.refills if r.performed_at <= at]
    if not found:
        raise RecordError(f"pump {pump.serial} has no fill recorded before {format_datetime(at)}")
    return found[-1]


def fill_volume_ml(record: RefillRecord) -> float:
    """What the reservoir held after this fill (mL): measured when measured, else injected."""
    return record.injected_ml if record.measured_ml is None else record.measured_ml
