"""Scenario sections that happen at a time: boluses, faults, oral doses, revisions, clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itbtwin.errors import RegimenError
from itbtwin.pump import (
    BOLUS_KINDS,
    FAULT_KINDS,
    Bolus,
    CatheterSpec,
    Fault,
    Revision,
    find_catheter,
    zone,
)
from itbtwin.sim._limits import check_doses, check_systemic_dose
from itbtwin.sim._scenario_reader import Section


@dataclass(frozen=True)
class OralDose:
    """Oral baclofen: `dose_mcg` at `at_h`, repeated `count` times every `every_h` hours."""

    at_h: float
    dose_mcg: float
    every_h: float = 0.0
    count: int = 1

    def __post_init__(self) -> None:
        if self.dose_mcg <= 0 or self.count < 1 or (self.count > 1 and self.every_h <= 0):
            raise RegimenError(
                "an oral dose needs a positive dose; repeats need a positive interval"
            )

    @property
    def times_h(self) -> list[float]:
        """Elapsed hours of every dose."""
        return [self.at_h + k * self.every_h for k in range(self.count)]


def _within(sec: Section, t: float, span_h: float, key: str = "at") -> float:
    if t > span_h:
        raise sec.fail(f"{t:g} h is after the end of the scenario ({span_h:g} h)", key)
    return t


def read_bolus(sec: Section, start: datetime, span_h: float) -> Bolus:
    """A `[[bolus]]`: clinician (dose) or priming (the catheter volume); bridges follow refills."""
    at = _within(sec, sec.time(start), span_h)
    kind = sec.value("kind", str, choices=BOLUS_KINDS)
    if kind == "bridge":
        raise sec.fail(
            "a bridge bolus follows a refill: set bridge = true on that [[refill]] (it runs "
            "at the old rate until the new solution reaches the tip)",
            "kind",
        )
    duration = sec.quantity("duration", "duration")
    if duration > span_h:  # a bolus spread over 1e300 h would be silently no bolus (issue 17)
        raise sec.fail(f"a bolus of {duration:g} h is longer than the scenario", "duration")
    dose = sec.quantity("dose", "dose", 0.0) if kind == "clinician" else 0.0
    sec.done()
    with sec.guard():
        return Bolus(at, kind, duration, dose)


def read_fault(sec: Section, start: datetime, span_h: float, refills: set[float]) -> Fault:
    """A `[[fault]]` of any kind in `FAULT_KINDS`; refill faults must name a refill's time."""
    kind = sec.value("kind", str, choices=tuple(FAULT_KINDS))
    at = _within(sec, sec.time(start), span_h)
    if kind in ("pocket_fill", "missed_refill") and at not in refills:
        raise sec.fail(f"no refill at {at:g} h for this {kind}", "at")
    fraction = sec.value("fraction", (int, float), 1.0)
    until = sec.time(start, "until") if sec.has("until") else None
    duration = sec.quantity("duration", "duration", 0.0 if kind != "mri" else None)
    delay = sec.quantity("delay", "duration") if sec.has("delay") else None
    for key, hours in (("duration", duration), ("delay", delay)):
        if hours is not None and hours > span_h:  # 1e300 h was silently "never" (issue 17)
            skipped = (
                " (a refill skipped altogether has no delay)" if kind == "missed_refill" else ""
            )
            raise sec.fail(
                f"a {key} of {hours:,.4g} h is longer than the scenario ({span_h:g} h){skipped}",
                key,
            )
    c = sec.quantity("concentration", "concentration") if sec.has("concentration") else None
    sec.done()
    with sec.guard():
        return Fault(kind, at, float(fraction), until, duration, delay, c)


def read_oral(sec: Section, start: datetime, span_h: float) -> OralDose:
    """An `[[oral]]` dose, optionally repeated (``every``, ``count``)."""
    at = _within(sec, sec.time(start), span_h)
    dose = sec.quantity("dose", "dose")
    with sec.guard("dose"):  # 1e9 mg was simulated; pk --oral refused it (issue 17)
        check_systemic_dose(dose, "an oral dose of")
    every = sec.quantity("every", "duration", 0.0)
    count = sec.value("count", int, 1)
    with sec.guard("count"):  # a count of 10^9 filled memory for a minute (issue 17)
        check_doses(count, f"an [[oral]] dose repeated {count:,} times")
    if count > 1 and (last := at + (count - 1) * every) > span_h:  # doses after the end
        raise sec.fail(
            f"the last of {count:,} doses, at {last:,.4g} h, is after the end of the scenario "
            f"({span_h:g} h)",
            "count",
        )
    sec.done()
    with sec.guard():
        return OralDose(at, dose, every, count)


def read_revision(
    sec: Section, start: datetime, span_h: float, extra: dict[str, CatheterSpec]
) -> Revision:
    """A `[[revision]]`: a new, empty catheter (model, length_cm)."""
    at = _within(sec, sec.time(start), span_h)
    model = sec.value("model", str)
    length = sec.value("length_cm", (int, float))
    sec.done()
    with sec.guard("model"):
        return Revision(at, find_catheter(model, extra), float(length))


def read_clock(sec: Section, start: datetime, span_h: float) -> tuple[float, str]:
    """A `[[clock]]` change: the pump clock set to another time zone."""
    at = _within(sec, sec.time(start), span_h)
    name = sec.value("time_zone", str)
    with sec.guard("time_zone"):
        zone(name)
    sec.done()
    return at, name


def read_time(sec: Section, start: datetime, span_h: float) -> float:
    """A bare `[[demand]]` or `[[interrogation]]`: only ``at``."""
    at = _within(sec, sec.time(start), span_h)
    sec.done()
    return at
