"""Scenario sections that describe the pump: device, catheter, reservoir, programs, refills.

Each reader takes a `Section`, returns the built objects, and leaves the canonical values in the
section (`Section.done()`), so that saving writes back exactly what was understood.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from itbtwin.drug import find_product
from itbtwin.pump import (
    DEVICE_KEYS,
    SMALLEST_FILL_ML,
    WEEKDAYS,
    CatheterSpec,
    ClockBolus,
    DemandSettings,
    DeviceSpec,
    Fill,
    Program,
    Refill,
    Step,
    device_values,
    find_catheter,
    find_device,
    load_devices,
)
from itbtwin.sim._scenario_reader import Section

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
PUMP_KEYS = ("device", "devices_file", "age_at_start", "accuracy", "seed")


def read_device(sec: Section, base_dir: Path | None) -> tuple[DeviceSpec, dict[str, CatheterSpec]]:
    """The `[pump]` table: a catalogue or clinic device, with any overrides of its values
    (recorded with the source ``clinic``, unverified)."""
    devices: dict[str, DeviceSpec] = {}
    catheters: dict[str, CatheterSpec] = {}
    file = sec.value("devices_file", str, None)
    if file is not None:
        folder = (base_dir or Path.cwd()).resolve()
        if (folder / file).resolve().parent != folder:
            raise sec.fail(
                f"{file!r} is not beside the scenario: name a file in the scenario's own folder "
                "(no folders, no '..')",
                "devices_file",
            )
        with sec.guard("devices_file"):
            devices, catheters = load_devices(folder / file)
    key = sec.value("device", str)
    with sec.guard("device"):
        device = find_device(key, devices)
    for name in [k for k in sec.data if k not in PUMP_KEYS]:
        with sec.guard(name):
            device = device.with_values("clinic", False, **device_values({name: sec.data[name]}))
        kind = DEVICE_KEYS[name][1] if name in DEVICE_KEYS else None
        if kind:
            sec.quantity(name, kind)
        else:
            sec.value(name, (str, int, float, list))
    return device, catheters


def clock_hours(sec: Section, key: str) -> float:
    """A clock time ``"HH:MM"`` as hours after midnight."""
    text = sec.value(key, str)
    match = _CLOCK.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise sec.fail(f'expected a clock time "HH:MM", got {text!r}', key)
    return int(match.group(1)) + int(match.group(2)) / 60


def _days(sec: Section) -> frozenset[int]:
    names = sec.value("days", list, None)
    if names is None:
        return frozenset(range(7))
    bad = [n for n in names if n not in WEEKDAYS]
    if bad:
        raise sec.fail(f"unknown weekday {bad[0]!r}; use {', '.join(WEEKDAYS)}", "days")
    return frozenset(WEEKDAYS.index(n) for n in names)


def read_fill(sec: Section, device: DeviceSpec) -> Fill:
    """Volume, concentration and optional product of a fill (`[reservoir]` or a refill)."""
    volume = sec.quantity("volume", "volume")
    concentration = sec.quantity("concentration", "concentration")
    product = sec.value("product", str, "")
    if product:
        with sec.guard("product"):
            find_product(product, concentration)
    if volume > device.reservoir_ml:
        raise sec.fail(
            f"{volume:g} mL does not fit the {device.reservoir_ml:g} mL reservoir of {device.name}",
            "volume",
        )
    with sec.guard("volume"):
        return Fill(volume, concentration, product)


def read_refill(sec: Section, device: DeviceSpec, start: datetime) -> tuple[Refill, bool]:
    """A `[[refill]]`: the visit, and whether a bridge bolus follows it (``bridge = true``).

    The bridge's duration is not an input: it runs at the old rate until the new solution reaches
    the tip (`Therapy.bridge_plan`)."""
    at = sec.time(start)
    fill = read_fill(sec, device)
    if fill.volume_ml < SMALLEST_FILL_ML:  # a reservoir may start nearly empty; a refill may not
        raise sec.fail(
            f"a refill of {fill.volume_ml:g} mL is less than a syringe measures "
            f"({SMALLEST_FILL_ML:g} mL): check the unit",
            "volume",
        )
    bridge = sec.value("bridge", bool, False)
    if sec.has("bridge_duration"):
        raise sec.fail(
            "a bridge bolus runs at the old rate until the new solution reaches the catheter "
            "tip, so its duration is computed (pump + catheter volume / old mL/day): remove "
            "bridge_duration",
            "bridge_duration",
        )
    return Refill(at, fill), bridge


def _step(sec: Section) -> Step:
    start = clock_hours(sec, "start")
    duration = sec.quantity("duration", "duration")
    rate = sec.quantity("rate", "daily_dose")
    days = _days(sec)
    sec.done()
    with sec.guard():
        return Step(start, duration, rate, days)


def _periodic(sec: Section) -> ClockBolus:
    at = clock_hours(sec, "at")
    dose = sec.quantity("dose", "dose")
    duration = sec.quantity("duration", "duration")
    days = _days(sec)
    sec.done()
    with sec.guard():
        return ClockBolus(at, dose, duration, days)


def read_program(sec: Section, device: DeviceSpec, default_c: float) -> Program:
    """A `[[program]]`: continuous, flex or periodic, with optional demand settings."""
    mode = sec.value("mode", str, choices=("continuous", "flex", "periodic"))
    c = sec.quantity("concentration", "concentration", default_c)
    sec.out.setdefault("concentration", f"{c!r} mcg/mL")
    demand = None
    demand_sec = sec.table("demand")
    if demand_sec is not None:
        values = (
            demand_sec.quantity("dose", "dose"),
            demand_sec.quantity("duration", "duration"),
            demand_sec.quantity("lockout", "duration"),
            demand_sec.value("max_per_day", int),
        )
        sec.out["demand"] = demand_sec.done()
        with demand_sec.guard():
            demand = DemandSettings(*values)
    steps: tuple[Step, ...] = ()
    boluses: tuple[ClockBolus, ...] = ()
    with sec.guard("daily_dose" if mode == "continuous" else "mode"):  # the field to change
        if mode == "flex":
            step_secs = sec.tables("step")
            steps = tuple(_step(s) for s in step_secs)
            sec.out["step"] = [s.out for s in step_secs]
        else:
            steps = (Step(0.0, 24.0, sec.quantity("daily_dose", "daily_dose")),)
        # a flex schedule may carry clock boluses too, e.g. a morning bolus (synchromed2:S45)
        if mode == "periodic" or (mode == "flex" and sec.has("bolus")):
            bolus_secs = sec.tables("bolus")
            boluses = tuple(_periodic(s) for s in bolus_secs)
            sec.out["bolus"] = [s.out for s in bolus_secs]
        sec.done()  # a misspelt key (`steps` for `step`) is named, not read as no steps (issue 17)
        program = Program(mode, c, steps, boluses, demand)  # type: ignore[arg-type]
        program.check_device(device)
    return program


def read_catheter(sec: Section, extra: dict[str, CatheterSpec]) -> tuple[CatheterSpec, float, bool]:
    """The `[catheter]`: model, implanted length (cm) and whether it is primed at the start."""
    model = sec.value("model", str)
    with sec.guard("model"):
        spec = find_catheter(model, extra)
    length = sec.value("length_cm", (int, float))
    with sec.guard("length_cm"):
        spec.volume_ml(float(length))
    return spec, float(length), sec.value("primed", bool, True)


def read_program_document(
    document: dict, device: DeviceSpec, concentration_mcg_per_ml: float
) -> tuple[Program, dict]:
    """A program given as a ``[[program]]`` table without ``at`` (as records store it): the
    `Program` checked against the device, and its canonical document. Errors name the field."""
    sec = Section(dict(document), ("program",), {})
    program = read_program(sec, device, concentration_mcg_per_ml)
    return program, sec.done()
