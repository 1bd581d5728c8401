"""Implanted systems: implant a pump (with its first fill and program), revise the catheter,
record alarms and events. A new implant ends the patient's previous pump (explanted then)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, SessionTransaction

from itbtwin.errors import RecordError
from itbtwin.patient import parse_level
from itbtwin.pump import FAULT_KINDS, DeviceSpec, find_catheter, find_device, zone
from itbtwin.store._audit import audit
from itbtwin.store._bounds import (
    check_bound,
    check_event_kind,
    check_identifier,
    check_implant_date,
    check_in_service,
    check_text,
    fault_kind,
    shown,
)
from itbtwin.store._schema import EventRecord, Patient, ProgramVersion, Pump, RefillRecord, Revision
from itbtwin.store._times import require_past, wall_time
from itbtwin.store._transaction_memo import innermost

if TYPE_CHECKING:  # reading a pump (`pump show`, `patient show`) needs no clinic rules or NumPy
    from itbtwin.clinic import RefillVisit


def pump_fields(pump: Pump) -> dict[str, object]:
    """The implanted system as plain data."""
    return {
        "patient": pump.patient.identifier,
        "device": pump.device,
        "serial": pump.serial,
        "implanted_at": pump.implanted_at.isoformat(),
        "time_zone": pump.time_zone,
        "catheter_model": pump.catheter_model,
        "catheter_length_cm": pump.catheter_length_cm,
        "tip_level": pump.tip_level,
        "explanted_at": pump.explanted_at and pump.explanted_at.isoformat(),
    }


def device_of(pump: Pump) -> DeviceSpec:
    """The catalogue entry of the pump's model."""
    return find_device(pump.device)


def check_catheter(model: str, length_cm: float, tip_level: str | None) -> str | None:
    """A known catheter at a length it can have; the tip level's canonical name (or None)."""
    find_catheter(model).volume_ml(length_cm)
    check_bound("catheter_length_cm", length_cm, "a catheter length of")
    return None if tip_level is None else parse_level(tip_level)


def catheter_at(pump: Pump, at: datetime) -> dict[str, object]:
    """The catheter in place at a time: the implant's, or that of the last revision before."""
    revisions = [r for r in pump.revisions if r.revised_at <= at]
    source = revisions[-1] if revisions else pump
    return {
        "model": source.catheter_model,
        "length_cm": source.catheter_length_cm,
        "tip_level": source.tip_level,
    }


def catheter_fault(kind: str) -> str | None:
    """The twin's fault (`pump.Fault`) a recorded event kind names, when it is a catheter fault:
    "occlusion", "kink", "fracture", "disconnection", also written "catheter_fracture"..."""
    name = fault_kind(kind)
    return name if name is not None and FAULT_KINDS[name].startswith("catheter") else None


def is_catheter_fault(kind: str) -> bool:
    """A recorded event kind that is a catheter fault the twin can replay."""
    return catheter_fault(kind) is not None


def find_pump(session: Session, serial: str) -> Pump:
    """The pump with this serial number, or a `RecordError` naming it."""
    pump = session.scalar(select(Pump).where(Pump.serial == serial))
    if pump is None:
        same = session.scalar(select(Pump.serial).where(func.lower(Pump.serial) == serial.lower()))
        raise RecordError(
            f"no pump with serial {shown(serial)}" + (f" (did you mean {same!r}?)" if same else "")
        )
    return pump


def lock_pump(session: Session, pump: Pump) -> Pump:
    """Lock the pump's row for this transaction, so writers for one pump go one at a time.

    Every write for a pump takes this lock before it inserts anything: an insert referring to
    the pump takes a share lock on its row first, and two writers holding that would deadlock
    when both then ask for the update lock (PostgreSQL; SQLite's BEGIN IMMEDIATE serialises).
    The first lock reads the pump afresh; while the (sub)transaction that took it is active no
    other writer can change the pump, so a later lock of the same pump reads nothing again (the
    demo clinic records each pump's history in one transaction: issue 13); a pump `implant`
    inserted counts as locked by its (sub)transaction, as no one else sees it. A savepoint rolled
    back or released ends that: PostgreSQL releases a lock taken inside a savepoint rolled back.
    """
    locks: dict[int, SessionTransaction | None] = session.info.setdefault(_LOCKED, {})
    taken = locks.get(pump.id)
    if taken is not None and taken.is_active:
        return pump
    session.execute(select(Pump.id).where(Pump.id == pump.id).with_for_update())
    session.refresh(pump)
    locks[pump.id] = innermost(session)
    return pump


_LOCKED = "itbtwin.locked_pumps"
"""`Session.info` key: pump id → the (sub)transaction that locked it."""


def last_record_at(pump: Pump) -> datetime:
    """The time of the pump's last record: implant, program, refill, revision or event."""
    return max(
        [pump.implanted_at, *(r.performed_at for r in pump.refills)]
        + [v.effective_at for v in pump.programs]
        + [r.revised_at for r in pump.revisions]
        + [e.occurred_at for e in pump.events]
    )


def _replaces(patient: Patient, implanted_at: datetime) -> list[Pump]:
    """The patient's implanted pumps a new implant ends; refuses an implant that would end one
    before its last record (a back-dated implant must not rewrite the device history)."""
    current = [p for p in patient.pumps if p.explanted_at is None]
    for old in current:
        last = last_record_at(old)
        if implanted_at <= last:
            raise RecordError(
                f"the implant {implanted_at:%Y-%m-%d %H:%M} is not after the last record of pump "
                f"{old.serial} ({last:%Y-%m-%d %H:%M}), which it would end: record it with a "
                "later time, or `itbtwin pump explant` the old pump first"
            )
    return current


def active_pump(patient: Patient) -> Pump:
    """The patient's implanted pump (not explanted), or a `RecordError`."""
    for pump in reversed(patient.pumps):
        if pump.explanted_at is None:
            return pump
    raise RecordError(f"patient {patient.identifier!r} has no implanted pump")


def pump_in_service(patient: Patient, at: datetime) -> Pump | None:
    """The patient's pump implanted at `at` (implanted by then, not yet explanted), or None:
    never implanted, explanted, or `at` before the implant."""
    for pump in reversed(patient.pumps):
        if pump.implanted_at <= at and (pump.explanted_at is None or pump.explanted_at > at):
            return pump
    return None


def implant(
    session: Session,
    actor: str,
    patient: Patient,
    *,
    device: str,
    serial: str,
    implanted_at: datetime,
    time_zone: str,
    catheter_model: str,
    catheter_length_cm: float,
    tip_level: str | None,
    fill: RefillVisit,
    lot: str,
    program: dict,
    now: datetime,
    why: str = "",
) -> Pump:
    """Record an implant with its first fill (mL, mcg/mL) and first program (scenario format)."""
    from itbtwin.clinic import weekly_mean_mcg
    from itbtwin.sim import read_program_document

    check_identifier(serial, "the pump serial")
    check_text(lot, "the lot")
    spec = find_device(device)
    zone(time_zone)
    implanted_at = wall_time(implanted_at, time_zone, "the implant")
    require_past(implanted_at, now, "the implant")
    check_implant_date(implanted_at, patient.birth_date)
    level = check_catheter(catheter_model, catheter_length_cm, tip_level)
    same = session.scalar(select(Pump.serial).where(func.lower(Pump.serial) == serial.lower()))
    if same is not None:
        also = "" if same == serial else f" as {same!r} (serials ignore case)"
        raise RecordError(f"a pump with serial {serial!r} is already recorded{also}")
    check_bound("injected_ml", fill.injected_ml, "a fill of")
    if fill.injected_ml > spec.reservoir_ml:
        raise RecordError(
            f"the fill {fill.injected_ml:g} mL is larger than the {spec.reservoir_ml:g} mL "
            f"reservoir of {spec.name}"
        )
    parsed, document = read_program_document(program, spec, fill.concentration_mcg_per_ml)
    for old in _replaces(patient, implanted_at):
        old.explanted_at = implanted_at
        audit(session, actor, "pump.explant", "pump", old.id, {"serial": old.serial}, why)
    pump = Pump(
        patient=patient,
        device=spec.key,
        serial=serial,
        implanted_at=implanted_at,
        time_zone=time_zone,
        catheter_model=catheter_model,
        catheter_length_cm=catheter_length_cm,
        tip_level=level,
        revisions=[],  # a new pump has none: not read back at the first use (issue 13)
        programs=[],
        refills=[],
        events=[],
    )
    session.add(pump)
    session.flush()
    # no other writer sees the new row before this (sub)transaction commits: it holds the lock
    session.info.setdefault(_LOCKED, {})[pump.id] = innermost(session)
    pump.refills.append(
        RefillRecord(
            performed_at=implanted_at,
            withdrawn_ml=0.0,
            expected_ml=0.0,
            injected_ml=fill.injected_ml,
            measured_ml=fill.measured_ml,
            product=fill.product,
            concentration_mcg_per_ml=fill.concentration_mcg_per_ml,
            lot=lot,
            discrepancy_ml=0.0,
            error_pct=None,
            pocket_discrepancy_ml=None,
            pocket_fill_flag=False,
            performed_by=actor,
        )
    )
    pump.programs.append(
        ProgramVersion(
            version=1,
            effective_at=implanted_at,
            document=document,
            mean_daily_dose_mcg=weekly_mean_mcg(parsed),
            concentration_mcg_per_ml=parsed.concentration_mcg_per_ml,
            verdict="initial",
            override_reason=None,
            entered_by=actor,
        )
    )
    session.flush()
    what = {**pump_fields(pump), "fill_ml": fill.injected_ml, "program": document}
    audit(session, actor, "pump.implant", "pump", pump.id, what, why)
    return pump


def revise(
    session: Session,
    actor: str,
    pump: Pump,
    *,
    revised_at: datetime,
    catheter_model: str,
    catheter_length_cm: float,
    tip_level: str | None,
    reason: str,
    now: datetime,
) -> Revision:
    """Record a catheter revision: a new, empty catheter from `revised_at` on (the pump row keeps
    the implant's catheter; `catheter_at` reads the one in place at any time). Without a
    `tip_level` the tip stays where it was: a revision shortens or replaces the catheter."""
    revised_at = wall_time(revised_at, pump.time_zone, "the revision")
    require_past(revised_at, now, "the revision")
    lock_pump(session, pump)
    check_in_service(revised_at, pump.implanted_at, pump.explanted_at, "the revision")
    if not reason.strip():
        raise RecordError("a revision needs a reason")
    check_text(reason, "the reason")
    before = catheter_at(pump, revised_at)
    level = check_catheter(catheter_model, catheter_length_cm, tip_level or before["tip_level"])
    revision = Revision(
        revised_at=revised_at,
        catheter_model=catheter_model,
        catheter_length_cm=catheter_length_cm,
        tip_level=level,
        reason=reason,
    )
    pump.revisions.append(revision)
    session.flush()
    what = {
        "serial": pump.serial,
        "revised_at": revised_at.isoformat(),
        "before": before,
        "after": catheter_at(pump, revised_at),
    }
    audit(session, actor, "pump.revise", "pump", pump.id, what, reason)
    return revision


def check_fraction(kind: str, fraction: float | None) -> None:
    """A catheter fault's measured share of the flow, (0, 1], and only for a catheter fault: the
    command line and the imports check it alike (an import stored a share of 500 %, issue 17)."""
    if fraction is not None and not (is_catheter_fault(kind) and 0 < fraction <= 1):
        raise RecordError(
            "a share of the flow is given only for a catheter fault (occlusion, kink, fracture, "
            f"disconnection) and lies in (0, 100] %, got {kind} {fraction:.0%}"
        )


def check_programmed(kind: str, programmed_mcg_per_ml: float | None) -> None:
    """A wrong concentration's value found programmed: only for a ``wrong_concentration`` and
    within a drug concentration's bounds (`BOUND["concentration_mcg_per_ml"]`, 1-10,000
    mcg/mL); the command line, the web form and the imports (JSON, FHIR) check it alike."""
    if programmed_mcg_per_ml is None:
        return
    if fault_kind(kind) != "wrong_concentration":
        raise RecordError(
            f"a programmed concentration is given only for a wrong_concentration, not {kind}"
        )
    check_bound("concentration_mcg_per_ml", programmed_mcg_per_ml, "a programmed concentration of")


def record_event(
    session: Session,
    actor: str,
    pump: Pump,
    *,
    occurred_at: datetime,
    kind: str,
    detail: str,
    now: datetime,
    fraction: float | None = None,
    programmed_mcg_per_ml: float | None = None,
) -> EventRecord:
    """Record an alarm heard or a fault found on a pump; `fraction` is a catheter fault's
    measured share of the flow affected (0-1], when it was measured (e.g. a contrast study);
    `programmed_mcg_per_ml` a wrong concentration's value found programmed (the replay delivers
    the program's doses at that concentration from the reservoir's own)."""
    occurred_at = wall_time(occurred_at, pump.time_zone, "the event")
    require_past(occurred_at, now, "the event")
    lock_pump(session, pump)
    if not kind.strip():
        raise RecordError("an event needs a kind, e.g. low_reservoir or catheter_fracture")
    kind = check_event_kind(kind.strip())
    check_text(detail, "the detail")
    check_in_service(occurred_at, pump.implanted_at, pump.explanted_at, "the event")
    check_fraction(kind, fraction)
    check_programmed(kind, programmed_mcg_per_ml)
    event = EventRecord(
        occurred_at=occurred_at,
        kind=kind,
        detail=detail,
        fraction=fraction,
        programmed_mcg_per_ml=programmed_mcg_per_ml,
    )
    pump.events.append(event)
    session.flush()
    what = {"kind": kind, "detail": detail, "occurred_at": occurred_at.isoformat()}
    if fraction is not None:
        what["fraction"] = fraction
    if programmed_mcg_per_ml is not None:
        what["programmed_mcg_per_ml"] = programmed_mcg_per_ml
    audit(session, actor, "event.record", "pump", pump.id, what)
    return event


def explant(
    session: Session, actor: str, pump: Pump, *, explanted_at: datetime, now: datetime, why: str
) -> Pump:
    """Record a pump explanted without a replacement (a new implant ends the old pump itself).
    Its records stay; it leaves the refill schedule and the risk list from then on."""
    explanted_at = wall_time(explanted_at, pump.time_zone, "the explant")
    require_past(explanted_at, now, "the explant")
    lock_pump(session, pump)
    if pump.explanted_at is not None:
        raise RecordError(f"pump {pump.serial} was explanted on {pump.explanted_at:%Y-%m-%d}")
    if not why.strip():
        raise RecordError("an explant needs a reason (--reason)")
    check_text(why, "the reason")
    last = last_record_at(pump)
    if explanted_at < last:
        raise RecordError(
            f"the explant {explanted_at:%Y-%m-%d %H:%M} is before the pump's last record "
            f"({last:%Y-%m-%d %H:%M})"
        )
    pump.explanted_at = explanted_at
    session.flush()
    what = {"serial": pump.serial, "explanted_at": explanted_at.isoformat()}
    audit(session, actor, "pump.explant", "pump", pump.id, what, why)
    return pump
