"""The time a read-only command is asked about (`--as-of`, `--at`), as the pumps' wall-clock time.

The records keep each pump's wall-clock time, so a question "as of" a time is read in the pump's
zone as a record time is (`wall_time`, issue 17): a time the clocks skipped there is refused, one
they repeated needs its UTC offset and is then that zone's wall time (the first of the two hours;
the second is refused, as the records read a repeated hour as the first). A command about one
pump checks in that pump's zone; a clinic-wide one (the schedule, the clinic report) in the zone
of every implanted pump it covers, and reads them all at one wall-clock time: an offset that
names a different wall time in two of them is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itbtwin.display import format_count, format_date, format_datetime
from itbtwin.errors import RecordError
from itbtwin.store._overview import _implanted
from itbtwin.store._schema import Patient, Pump
from itbtwin.store._times import offset_text, wall_time


def implanted_zones(session: Session) -> dict[str, int]:
    """The time zone of each implanted pump (as `clinic_overview` covers them) → how many."""
    query = (
        select(Pump.time_zone, func.count())
        .join(Patient, Patient.id == Pump.patient_id)
        .where(*_implanted())
        .group_by(Pump.time_zone)
    )
    return {zone: count for zone, count in session.execute(query)}


def clinic_wall_time(at: datetime, zones: Mapping[str, int], what: str) -> datetime:
    """`at` as the one wall-clock time at which the clinic's pumps (`zones`: zone → pumps in it)
    are read: checked in every zone (`wall_time`; the message names the zone); a time with a UTC
    offset is converted, and refused when it is a different wall time in two zones (the overview
    reads every pump at one wall-clock time, so it cannot answer for one moment there)."""
    walls = {
        zone: wall_time(at, zone, f"{what} for {format_count(count, 'pump')}")
        for zone, count in sorted(zones.items())
    }
    if len(set(walls.values())) > 1:
        named = ", ".join(f"{wall:%H:%M} in {zone}" for zone, wall in walls.items())
        raise RecordError(
            f"{what} {at:%Y-%m-%d %H:%M}{offset_text(at)} is a different clock time in the "
            f"zones of the clinic's pumps ({named}): the clinic is read at one clock time in "
            "every zone; give it without a UTC offset, outside an hour the clocks skip or repeat"
        )
    return next(iter(walls.values()), at.replace(tzinfo=None))


def clinic_time(session: Session, at: datetime, what: str) -> datetime:
    """`at` checked and converted for every implanted pump of the clinic (`clinic_wall_time`),
    and after the births and the first implant of the patients it covers (`check_clinic_span`)."""
    wall = clinic_wall_time(at, implanted_zones(session), what)
    check_clinic_span(session, wall, what)
    return wall


def check_clinic_span(session: Session, at: datetime, what: str) -> None:
    """Refuse a clinic-wide time (clinic wall time) not after the birth of a patient the clinic
    covers (their age would be zero or less: 'impossible age -79 years', issue 17), or before
    every covered pump's implant (nothing was implanted yet); each message names the patient
    and the dates. A pump implanted after `at` while others were implanted by then is still
    read as it stands (docs/records.md)."""
    query = (
        select(Patient.identifier, Patient.birth_date, Pump.serial, Pump.implanted_at)
        .join(Patient, Patient.id == Pump.patient_id)
        .where(*_implanted())
        .order_by(Pump.implanted_at, Pump.serial)
    )
    rows = list(session.execute(query))
    if not rows:
        return
    asked = f"{what} {format_datetime(at)}"
    unborn = sorted((r for r in rows if at.date() <= r.birth_date), key=lambda r: r.birth_date)
    if unborn:
        youngest = unborn[-1]
        more = f" (and {format_count(len(unborn) - 1, 'other patient')})" if len(unborn) > 1 else ""
        raise RecordError(
            f"{asked} is not after the birth of patient {youngest.identifier} "
            f"({format_date(youngest.birth_date)}){more}: give a later {what}"
        )
    first = rows[0]
    if at < first.implanted_at:
        raise RecordError(
            f"{asked} is before every implant of the clinic: the first, pump {first.serial} of "
            f"patient {first.identifier}, was implanted on {format_datetime(first.implanted_at)}; "
            f"give a later {what}"
        )
