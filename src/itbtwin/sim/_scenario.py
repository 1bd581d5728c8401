"""Scenarios: one TOML file describing patient, pump, programs, refills, oral doses and faults.

`load_scenario` validates the whole file before anything runs; an error names the field and its
line (`ScenarioError`). A `Scenario` keeps the canonical form of what it read, so
``load_scenario(save_scenario(s)) == s``. See docs/pump.md for the format.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from itbtwin.drug import ORIGINS
from itbtwin.errors import ScenarioError
from itbtwin.patient import BaclofenPk, Baseline
from itbtwin.pump import (
    FIRST_PROGRAMMABLE_PUMP,
    Bolus,
    PumpClock,
    Therapy,
    draw_faults,
    repeated,
    skipped,
    zone,
)
from itbtwin.sim._limits import MAX_SPAN_H, check_output
from itbtwin.sim._scenario_events import (
    OralDose,
    read_bolus,
    read_clock,
    read_fault,
    read_oral,
    read_revision,
    read_time,
)
from itbtwin.sim._scenario_pump import (
    read_catheter,
    read_device,
    read_fill,
    read_program,
    read_refill,
)
from itbtwin.sim._scenario_reader import Section, line_index
from itbtwin.user_files import TOML_LIMIT_BYTES, check_structure, naming, parse_toml, read_text


@dataclass(frozen=True)
class Patient:
    """Who receives the drug: body weight (kg), age (years), origin of spasticity, and the
    assessed baseline scores before ITB (None: the twin predicts no MAS or Penn scores)."""

    weight_kg: float = 70.0
    age_years: float = 40.0
    origin: str = "spinal"
    baseline: Baseline | None = None


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: the pump's `therapy`, the `patient`, oral doses and output step (h).

    `document` is the canonical TOML data it was read from; `header` the file's leading comment.
    """

    name: str
    therapy: Therapy
    patient: Patient
    orals: tuple[OralDose, ...]
    output_step_h: float
    document: dict[str, Any] = field(repr=False)
    header: str = field(default="", compare=False)

    @property
    def span_h(self) -> float:
        """Length of the scenario (h)."""
        return self.therapy.span_h


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (``devices_file`` names a file in its folder); an
    error names the file first, as a command may read many."""
    path = Path(path)
    with naming(path):
        return loads_scenario(
            read_text(path, "scenario", ScenarioError, TOML_LIMIT_BYTES), path.parent
        )


def loads_scenario(text: str, base_dir: Path | None = None) -> Scenario:
    """Validate a scenario given as TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"line (\d+)", str(err))
        raise ScenarioError(
            f"not valid TOML: {err}", "", int(line.group(1)) if line else None
        ) from None
    except (ValueError, RecursionError):  # thousands of digits, deep nesting: says which
        data = parse_toml(text, "the scenario", ScenarioError)
    check_structure(data, "the scenario", ScenarioError)
    return _build(Section(data, (), line_index(text)), base_dir, _header(text))


def dumps_scenario(scenario: Scenario) -> str:
    """The scenario as canonical TOML (header comment first)."""
    body = tomli_w.dumps(scenario.document)
    return f"{scenario.header}\n\n{body}" if scenario.header else body


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write the scenario to ``path`` as canonical TOML; returns the path."""
    path = Path(path)
    path.write_text(dumps_scenario(scenario))
    return path


EARLIEST_START = datetime.combine(FIRST_PROGRAMMABLE_PUMP, time())
"""No scenario before the first programmable pump (`pump.FIRST_PROGRAMMABLE_PUMP`, 1988): a
scenario in 1800 is a typing error."""
LATEST_START = datetime(2100, 1, 1)
"""The latest start [assumption: a typing error beyond]: a start in 9999 overflowed the pump
clock at the scenario's end (issue 17)."""


def _start(sec: Section) -> datetime:
    name = sec.value("time_zone", str)
    with sec.guard("time_zone"):
        tz = zone(name)
    raw = sec.raw("start")
    if not isinstance(raw, datetime):
        raise sec.fail("expected a local date-time such as 2024-01-08T09:00:00", "start")
    if not EARLIEST_START <= raw.replace(tzinfo=None) <= LATEST_START:
        raise sec.fail(
            f"a start in {raw.year} is outside {EARLIEST_START.year}-{LATEST_START.year}: "
            "programmable pumps exist since 1988, and the clock must reach the scenario's end",
            "start",
        )
    if raw.tzinfo is None and skipped(raw, tz):
        raise sec.fail(
            f"{raw:%Y-%m-%dT%H:%M} did not happen in {name}: the clocks went forward over it",
            "start",
        )
    if raw.tzinfo is None and repeated(raw, tz):
        first = raw.replace(tzinfo=tz).isoformat()
        raise sec.fail(
            f"{raw:%Y-%m-%dT%H:%M} happened twice in {name} (the clocks went back): give its "
            f"UTC offset, e.g. {first} for the first",
            "start",
        )
    sec.out["start"] = raw.astimezone(tz).replace(tzinfo=None) if raw.tzinfo else raw
    return sec.out["start"].replace(tzinfo=tz)


def _patient(sec: Section | None) -> Patient:
    if sec is None:
        return Patient()
    weight = sec.quantity("weight", "weight", 70.0)
    age = sec.quantity("age", "age", 40.0)
    if not sec.has("weight"):
        with sec.guard("weight"):
            BaclofenPk.for_patient(None, age)  # a child's PK needs a weight: none is assumed
    origin = sec.value("origin", str, "spinal", choices=ORIGINS)
    return Patient(weight, age, origin, _baseline(sec))


def _baseline(sec: Section) -> Baseline | None:
    """The optional ``baseline_mas`` ("3"), ``baseline_penn_frequency`` (0-4) and
    ``baseline_penn_severity`` (1-3): the scores before ITB the twin's scores are measured from."""
    mas = sec.value("baseline_mas", str, None)
    frequency = sec.value("baseline_penn_frequency", int, None)
    severity = sec.value("baseline_penn_severity", int, None)
    if mas is None:
        if frequency is not None or severity is not None:
            raise sec.fail("a baseline Penn score needs the baseline MAS too", "baseline_mas")
        return None
    with sec.guard("baseline_mas"):
        return Baseline(mas, frequency, severity)


def _build(root: Section, base_dir: Path | None, header: str) -> Scenario:
    doc: dict[str, Any] = {}
    meta = root.table("scenario", required=True)
    assert meta is not None
    name = meta.value("name", str)
    if not name.strip() or not name.isprintable():  # "\u001b[2J" cleared the terminal (issue 17)
        raise meta.fail("the name is empty or holds a control character (an escape code)", "name")
    start = _start(meta)
    span = meta.quantity("duration", "duration")
    step = meta.quantity("output_step", "duration", 1.0)
    with meta.guard("duration" if span > MAX_SPAN_H else "output_step"):
        check_output(span, step, "the scenario")
    follow_dst = meta.value("follow_dst", bool, True)
    doc["scenario"] = meta.done()
    patient_sec = root.table("patient")
    patient = _patient(patient_sec)
    if patient_sec is not None:
        doc["patient"] = patient_sec.done()

    pump = root.table("pump", required=True)
    assert pump is not None
    device, catheters = read_device(pump, base_dir)
    age = pump.quantity("age_at_start", "duration", 0.0)
    if age > MAX_SPAN_H:  # 1e300 years read as a pump at end of service (issue 17)
        raise pump.fail(
            f"a pump {age / 24 / 365.25:,.4g} years old is past the service life of every "
            "catalogue pump: at most 10 years (Prometra)",
            "age_at_start",
        )
    accuracy = pump.value("accuracy", str, "ideal", choices=("ideal", "typical", "random"))
    seed = pump.value("seed", int, None)
    doc["pump"] = pump.done()
    cath = root.table("catheter", required=True)
    assert cath is not None
    catheter, length, primed = read_catheter(cath, catheters)
    doc["catheter"] = cath.done()
    res = root.table("reservoir", required=True)
    assert res is not None
    fill = read_fill(res, device)
    # a history read from a refill that changed the concentration: its bridge bolus at hour 0,
    # from `bridge_from`, the program before hour 0, when the new program starts with the refill
    bridges = [0.0] if res.value("bridge", bool, False) else []
    before_sec = res.table("bridge_from")
    before = None
    if before_sec is not None:
        if not bridges:
            raise res.fail(
                "bridge_from is the old program of a bridge: set bridge = true", "bridge"
            )
        before = read_program(before_sec, device, fill.concentration_mcg_per_ml)
        res.out["bridge_from"] = before_sec.done()
    doc["reservoir"] = res.done()

    refills = []
    refill_secs = root.tables("refill")
    for sec in refill_secs:
        visit, bridge = read_refill(sec, device, start)
        if visit.at_h > span:
            raise sec.fail(f"the refill at {visit.at_h:g} h is after the end", "at")
        refills.append(visit)
        if bridge:
            bridges.append(visit.at_h)
        sec.done()
    doc["refill"] = [s.out for s in refill_secs] or None

    def fill_c(t: float) -> float:
        return [fill, *(r.fill for r in refills if r.at_h <= t)][-1].concentration_mcg_per_ml

    programs = []
    for sec in (program_secs := root.tables("program")):
        at = sec.time(start)
        programs.append((at, read_program(sec, device, fill_c(at))))
        sec.done()
    if not programs or programs[0][0] != 0:
        raise root.fail("the first [[program]] must start at 0 h", "program")
    doc["program"] = [s.out for s in program_secs]

    lists: dict[str, list[Any]] = {}
    readers = {
        "bolus": lambda s: read_bolus(s, start, span),
        "demand": lambda s: read_time(s, start, span),
        "interrogation": lambda s: read_time(s, start, span),
        "revision": lambda s: read_revision(s, start, span, catheters),
        "clock": lambda s: read_clock(s, start, span),
        "oral": lambda s: read_oral(s, start, span),
        "fault": lambda s: read_fault(s, start, span, {r.at_h for r in refills}),
    }
    for key, reader in readers.items():
        secs = root.tables(key)
        lists[key] = [reader(s) for s in secs]
        doc[key] = [s.out for s in secs] or None

    faults = list(lists["fault"])
    for fault, sec in zip(faults, root.tables("fault"), strict=True):
        if sum(f.kind == fault.kind and f.at_h == fault.at_h for f in faults) > 1:
            # two pocket fills of 0.5 were one, two missed refills a StopIteration (issue 17)
            raise sec.fail(f"two {fault.kind} faults at {fault.at_h:g} h: give one", "at")
    random = root.table("random_faults")
    if random is not None:
        rng = np.random.default_rng(random.value("seed", int, 0))
        scale = float(random.value("scale", (int, float), 1.0))
        off_label = random.value("off_label", bool, False)
        doc["random_faults"] = random.done()
        faults += draw_faults(
            rng, span, [r.at_h for r in refills], off_label=off_label, scale=scale
        )
    root.done()

    zones = ((0.0, doc["scenario"]["time_zone"]), *sorted(lists["clock"]))
    with root.guard():
        therapy = Therapy(
            device=device,
            catheter=catheter,
            catheter_length_cm=length,
            fill=fill,
            programs=tuple(programs),
            clock=PumpClock(start, zones, follow_dst),
            span_h=span,
            primed=primed,
            refills=tuple(sorted(refills, key=lambda r: r.at_h)),
            boluses=tuple(sorted(lists["bolus"], key=lambda b: b.at_h)),
            demands=tuple(sorted(lists["demand"])),
            faults=tuple(sorted(faults, key=lambda f: f.at_h)),
            interrogations=tuple(sorted(lists["interrogation"])),
            revisions=tuple(sorted(lists["revision"], key=lambda r: r.at_h)),
            pump_age_h=age,
            accuracy=accuracy,
            seed=seed,
            origin=patient.origin,
            program_before_start=before,
        )
        boluses = [Bolus(t, "bridge", therapy.bridge_plan(t).duration_h) for t in bridges]
        therapy = dataclasses.replace(
            therapy, boluses=tuple(sorted([*therapy.boluses, *boluses], key=lambda b: b.at_h))
        )
        orals = tuple(lists["oral"])
    document = {k: v for k, v in doc.items() if v is not None}
    return Scenario(name, therapy, patient, orals, step, document, header)
