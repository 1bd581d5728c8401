"""What the records add to a replay of the twin: bridge boluses, catheter faults sized from the
records, and the scores observed at the clinic.

A replay is only as true as what it is told, so every recorded fact that changes delivery reaches
the scenario, and each says which record it comes from:

- a program version stored with a bridge bolus puts ``bridge = true`` on the refill that brought
  the new solution (the scenario's bridge element; the twin decides how the bridge runs);
- a refill whose delivery fell short of the program by more than the reconciliation tolerance
  (`refill_error_tolerance`) becomes an occlusion over the interval it measured (since the fill
  before), blocking the measured share of the flow: the drug stayed in the reservoir;
- a recorded occlusion, kink, fracture or disconnection becomes that fault from the event on,
  until a catheter revision replaces the catheter; its share of the flow is the one measured with
  the event, else (occlusion, kink) the shortfall of the refill that measured it. A fault without
  a measured size is not replayed and says so: nothing is guessed;
- a recorded ``unit_slip`` or ``wrong_concentration`` becomes the twin's fault of that kind
  (`pump.Fault`, the scenario's ``[[fault]]``): from the event until the next program version
  (`store._fault_closing.CLOSED_BY`) the pump runs the program in effect 24× (a unit slip,
  synchromed2:S45), or computes its volume with the concentration found programmed while the
  reservoir holds the filled one (delivered mcg = volume × filled concentration). A wrong
  concentration without its programmed value is not replayed and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itbtwin.clinic import Reason, Verdict, setting
from itbtwin.patient import MAS_GRADES
from itbtwin.store._bounds import fault_kind
from itbtwin.store._pumps import catheter_fault, is_catheter_fault
from itbtwin.store._schema import EventRecord, Patient, Pump, RefillRecord
from itbtwin.store._times import elapsed_hours

BLOCKING = ("occlusion", "kink")
"""Catheter faults that keep drug in the reservoir, so a refill's shortfall measures them."""
PROGRAM_FAULTS = ("unit_slip", "wrong_concentration")
"""Recorded program faults the twin replays as its own (`pump.Fault`: a program change)."""


@dataclass(frozen=True)
class RecordedFact:
    """A recorded fact that changes delivery in a replay: a catheter fault (`fraction` of the flow,
    from `at` to `until`, None: open), a program fault (unit slip; wrong concentration with the
    `programmed_mcg_per_ml` found) or a bridge; `text` names the record it comes from;
    `replayed` False when the records do not give its size."""

    kind: str
    at: datetime
    until: datetime | None
    fraction: float | None
    text: str
    replayed: bool = True
    programmed_mcg_per_ml: float | None = None

    def reason(self) -> Reason:
        """The fact as a finding: what the replay includes and where it comes from."""
        if self.kind == "bridge":
            return Reason("recorded_bridge", Verdict.PASS, "synchromed2:S15", self.text)
        return Reason(f"recorded_{self.kind}", Verdict.WARN, "derived", self.text)


def _day(at: datetime) -> str:
    return at.strftime("%a %d %b %Y %H:%M")


def _shortfall(refill: RefillRecord) -> float | None:
    """The share of the programmed volume not delivered (0-1], when beyond the tolerance."""
    tolerance = setting("refill_error_tolerance")
    if refill.error_pct is None or refill.error_pct >= -tolerance:
        return None
    return min(-refill.error_pct / 100, 1.0)


def _measured(refill: RefillRecord) -> str:
    return (
        f"the refill of {_day(refill.performed_at)} withdrew {refill.withdrawn_ml:g} mL where the "
        f"pump expected {refill.expected_ml:g} mL ({refill.error_pct:+.0f}% delivered)"
    )


def _unreplayed(refill: RefillRecord) -> list[RecordedFact]:
    """Refill findings the twin cannot replay from the records, said so beside its findings."""
    facts = []
    if refill.error_pct is not None and refill.error_pct > setting("refill_error_tolerance"):
        text = (
            f"{_measured(refill)}: more than the program delivered, which the twin does not "
            "replay (it delivers the program)"
        )
        facts.append(RecordedFact("overdelivery", refill.performed_at, None, None, text, False))
    if refill.pocket_fill_flag:
        text = (
            f"pocket fill suspected at the refill of {_day(refill.performed_at)}: of "
            f"{refill.injected_ml:g} mL injected, {refill.measured_ml:g} mL was measured in the "
            f"reservoir and {refill.pocket_discrepancy_ml:.2f} mL went into the pocket; the "
            "replay starts from the measured volume and does not model the drug in the pocket"
        )
        facts.append(RecordedFact("pocket_fill", refill.performed_at, None, None, text, False))
    return facts


def _shortfall_facts(pump: Pump) -> list[RecordedFact]:
    facts = []
    for before, refill in zip(pump.refills, pump.refills[1:], strict=False):
        facts += _unreplayed(refill)
        share = _shortfall(refill)
        if share is not None:
            text = (
                f"occlusion of {share:.0%} of the flow from {_day(before.performed_at)} to "
                f"{_day(refill.performed_at)}, derived from the records: {_measured(refill)}"
            )
            facts.append(
                RecordedFact("occlusion", before.performed_at, refill.performed_at, share, text)
            )
    return facts


def _sizing_refill(pump: Pump, event: EventRecord) -> RefillRecord | None:
    """The refill whose shortfall measured a blocking fault: the interval around the event."""
    later = [r for r in pump.refills if r.performed_at > event.occurred_at]
    earlier = [r for r in pump.refills if r.performed_at <= event.occurred_at]
    for refill in ([earlier[-1]] if earlier else []) + later[:1]:
        if _shortfall(refill) is not None:
            return refill
    return None


def _event_fact(pump: Pump, event: EventRecord) -> RecordedFact:
    kind = catheter_fault(event.kind) or event.kind
    revised = [r.revised_at for r in pump.revisions if r.revised_at > event.occurred_at]
    until = min(revised, default=None)
    what = f"{kind} recorded {_day(event.occurred_at)}"
    if event.fraction is not None:
        text = f"{what} ({event.fraction:.0%} of the flow, measured with the event)"
        return RecordedFact(kind, event.occurred_at, until, event.fraction, text)
    sizing = _sizing_refill(pump, event) if kind in BLOCKING else None
    if sizing is None:
        text = (
            f"{what}: its size was not measured, so the twin does not replay it; delivery at the "
            "tip may be less than shown (record the share with the event when it is known)"
        )
        return RecordedFact(kind, event.occurred_at, until, None, text, replayed=False)
    share = _shortfall(sizing)
    start = max(event.occurred_at, sizing.performed_at)
    text = (
        f"{what}, replayed from {_day(start)} "
        + ("until the revision of " + _day(until) if until else "onward (no revision since)")
        + f" blocking {share:.0%} of the flow, derived from the records: {_measured(sizing)}"
    )
    return RecordedFact(kind, start, until, share, text)


def _bridge_facts(pump: Pump) -> list[RecordedFact]:
    facts = []
    for version in pump.programs:
        if version.bridge_volume_ml is None:
            continue
        fills = [r for r in pump.refills if r.performed_at <= version.effective_at]
        if not fills:
            continue
        text = (
            f"bridge bolus recorded with program version {version.version} "
            f"({version.bridge_from_mcg_per_ml:g} → {version.concentration_mcg_per_ml:g} mcg/mL, "
            f"{version.bridge_volume_ml:.2f} mL of old solution in the pump and catheter): "
            f"replayed after the refill of {_day(fills[-1].performed_at)}"
        )
        facts.append(RecordedFact("bridge", fills[-1].performed_at, None, None, text))
    return facts


def _program_fact(pump: Pump, event: EventRecord, kind: str) -> RecordedFact:
    """A unit slip or wrong concentration, in effect until the next program version."""
    later = [v.effective_at for v in pump.programs if v.effective_at > event.occurred_at]
    until = min(later, default=None)
    span = ("until the program version of " + _day(until)) if until else "onward (not reprogrammed)"
    what = f"{kind.replace('_', ' ')} recorded {_day(event.occurred_at)}"
    if kind == "unit_slip":
        text = f"{what}: replayed {span} as the program in effect at 24 times its doses"
        return RecordedFact(kind, event.occurred_at, until, None, text)
    programmed = event.programmed_mcg_per_ml
    if programmed is None:
        text = (
            f"{what}: the concentration found programmed was not recorded, so the twin does not "
            "replay it; delivery may differ from what is shown (record it with the event)"
        )
        return RecordedFact(kind, event.occurred_at, until, None, text, replayed=False)
    text = (
        f"{what}: the pump programmed for {programmed:g} mcg/mL, replayed {span} with the "
        "reservoir's filled concentration (delivered = volume pumped × filled concentration)"
    )
    return RecordedFact(kind, event.occurred_at, until, None, text, True, programmed)


def recorded_facts(pump: Pump, start: datetime, end: datetime) -> list[RecordedFact]:
    """The facts in the records that change delivery between `start` and `end`, in time order."""
    facts = _shortfall_facts(pump) + _bridge_facts(pump)
    facts += [_event_fact(pump, e) for e in pump.events if is_catheter_fault(e.kind)]
    for event in pump.events:
        kind = fault_kind(event.kind)
        if kind in PROGRAM_FAULTS:
            facts.append(_program_fact(pump, event, kind))
    inside = [
        f
        for f in facts
        if f.at < end
        and (f.until is None or f.until > start)
        and (f.at > start or f.kind not in ("overdelivery", "pocket_fill"))
        and (f.at >= start or f.kind != "bridge")  # a bridge at the start follows its fill
    ]
    return sorted(inside, key=lambda f: f.at)


def _hours(at: datetime, start: datetime, time_zone: str) -> float:
    return elapsed_hours(at, start, time_zone)


def add_recorded_facts(
    doc: dict[str, Any], pump: Pump, start: datetime, end: datetime
) -> dict[str, Any]:
    """Put the recorded facts into a scenario document built from the records (hours from
    `start`): ``bridge = true`` on the refill a bridge followed, a ``[[fault]]`` per sized fault."""
    facts, tz = recorded_facts(pump, start, end), pump.time_zone
    bridged = {f"{_hours(f.at, start, tz)!r} h" for f in facts if f.kind == "bridge"}
    for refill in doc.get("refill", []):
        if refill["at"] in bridged:
            refill["bridge"] = True
    if f"{0.0!r} h" in bridged:  # the history starts at the refill the bridge followed
        doc["reservoir"]["bridge"] = True
        before = [v for v in pump.programs if v.effective_at < start]
        if before:  # the bridge runs the program before the refill, also when the new one
            # took effect with the refill (it would otherwise run the new one: no bridge at all)
            old = max(before, key=lambda v: (v.effective_at, v.version))
            doc["reservoir"]["bridge_from"] = dict(old.document)
    faults = []
    for fact in facts:
        if fact.kind == "bridge" or not fact.replayed:
            continue
        entry: dict[str, Any] = {
            "kind": fact.kind,
            "at": f"{max(_hours(fact.at, start, tz), 0.0)!r} h",
        }
        if fact.kind in PROGRAM_FAULTS:  # the next program version in the document ends it
            if fact.programmed_mcg_per_ml is not None:
                entry["concentration"] = f"{fact.programmed_mcg_per_ml!r} mcg/mL"
            faults.append(entry)
            continue
        entry["fraction"] = fact.fraction
        if fact.until is not None and fact.until < end:
            entry["until"] = f"{_hours(fact.until, start, tz)!r} h"
        faults.append(entry)
    if faults:
        doc["fault"] = faults
    return doc


def baseline_entry(patient: Patient) -> dict[str, Any]:
    """A scenario's ``[patient]`` baseline keys from the last assessment at or before the
    patient's first implant (the scores before ITB): the highest MAS over the muscle groups (as
    the patient page plots an assessment) and the Penn scores; empty when none was recorded, and
    the twin then predicts no scores (none is assumed)."""
    if not patient.pumps:
        return {}
    first = min(p.implanted_at for p in patient.pumps)
    before = [a for a in patient.assessments if a.assessed_at <= first and a.mas]
    if not before:
        return {}
    found = max(before, key=lambda a: a.assessed_at)
    entry: dict[str, Any] = {"baseline_mas": max(found.mas.values(), key=MAS_GRADES.index)}
    frequency, severity = found.penn_frequency, found.penn_severity
    if frequency is not None and (frequency == 0 or severity is not None):
        entry["baseline_penn_frequency"] = frequency
        if frequency > 0:
            entry["baseline_penn_severity"] = severity
    return entry


def observed_scores(
    patient: Patient, start: datetime, end: datetime, time_zone: str = "UTC"
) -> list[dict[str, Any]]:
    """The assessments between `start` and `end` as the report plots them beside the twin:
    hours from `start` on the clock of `time_zone` (the pump's), MAS grade per muscle group, Penn
    spasm frequency (None: not scored)."""
    return [
        {
            "time_h": _hours(a.assessed_at, start, time_zone),
            "mas": dict(a.mas),
            "penn": a.penn_frequency,
        }
        for a in patient.assessments
        if start <= a.assessed_at <= end
    ]
