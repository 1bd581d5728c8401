"""Pump events and alarms: what the pump logged or sounded, when, and with which tone.

SynchroMed pumps have two tones: a one-second single tone for non-critical alarms (low reservoir,
ERI), repeating about once an hour, and a three-second two-tone alarm for critical ones (drug no
longer flowing: empty, motor stall, end of service, low-battery reset) [synchromed2:S22, S23, S9].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from itbtwin import sources
from itbtwin.errors import DeviceError
from itbtwin.pump._device import DeviceSpec

Tone = Literal["", "single", "two_tone"]


@dataclass(frozen=True)
class PumpEvent:
    """One entry of the twin's event log.

    - `time_h`: elapsed hours; `kind`: ``alarm``, ``tone``, ``alarm_cleared``, ``refill``,
      ``program``, ``bolus``, ``fault``, ``mri``... ; `detail`: a sentence for people.
    - `alarm`/`tone`: the alarm and its tone, for alarm events.
    - `seen_h`: when the entry first shows in an interrogated pump log, where that differs.
    """

    time_h: float
    kind: str
    detail: str
    alarm: str = ""
    tone: Tone = ""
    seen_h: float | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.time_h) or self.time_h < 0:
            raise DeviceError(f"an event needs a time >= 0 h, got {self.time_h}")

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (``time_h``, ``kind``, ``detail`` and the alarm fields when set)."""
        out: dict[str, object] = {"time_h": self.time_h, "kind": self.kind, "detail": self.detail}
        if self.alarm:
            out |= {"alarm": self.alarm, "tone": self.tone}
        if self.seen_h is not None:
            out["seen_h"] = self.seen_h
        return out


@dataclass(frozen=True)
class AlarmKind:
    """An alarm: its label, its tone, whether it is critical, and its source."""

    name: str
    label: str
    tone: Tone
    source: str

    def __post_init__(self) -> None:
        sources.check(self.source)

    @property
    def critical(self) -> bool:
        """Critical alarms use the two-tone sound."""
        return self.tone == "two_tone"

    def repeat_h(self, device: DeviceSpec) -> float:
        """How often the device sounds this alarm again (h)."""
        return device.critical_repeat_h if self.critical else device.single_repeat_h


ALARMS: dict[str, AlarmKind] = {
    a.name: a
    for a in (
        AlarmKind("low_reservoir", "low reservoir", "single", "synchromed2:S23"),
        AlarmKind("eri", "elective replacement indicator", "single", "synchromed2:S23"),
        AlarmKind("empty_reservoir", "empty reservoir", "two_tone", "synchromed2:S23"),
        AlarmKind("motor_stall", "motor stall", "two_tone", "synchromed2:S9"),
        AlarmKind("end_of_service", "end of service", "two_tone", "synchromed2:S24"),
        AlarmKind("low_battery_reset", "low battery reset", "two_tone", "synchromed2:S24"),
    )
}


@dataclass(frozen=True)
class AlarmSpan:
    """An alarm sounding from `start_h` until `end_h` (None: still sounding at the end)."""

    name: str
    start_h: float
    end_h: float | None
    detail: str


def alarm_events(
    spans: list[AlarmSpan], device: DeviceSpec, end_h: float, *, tones: bool = True
) -> list[PumpEvent]:
    """Onset, repeated tones and clearing of each alarm span, in the device's repeat pattern.

    ``tones=False`` leaves out the repeated tones (one an hour, for weeks, once a reservoir runs
    low): for callers that read only when alarms start and stop."""
    events = []
    for span in spans:
        kind = ALARMS[span.name]
        stop = end_h if span.end_h is None else span.end_h
        events.append(PumpEvent(span.start_h, "alarm", span.detail, span.name, kind.tone))
        repeat = kind.repeat_h(device)
        count = max(math.ceil((stop - span.start_h) / repeat - 1e-9), 1) if tones else 0
        for k in range(count):
            tone_at = span.start_h + k * repeat
            detail = f"{kind.label}: {kind.tone.replace('_', '-')} tone"
            events.append(PumpEvent(tone_at, "tone", detail, span.name, kind.tone))
        if span.end_h is not None:
            events.append(
                PumpEvent(span.end_h, "alarm_cleared", f"{kind.label} cleared", span.name)
            )
    return events
