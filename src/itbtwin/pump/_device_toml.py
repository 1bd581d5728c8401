"""A clinic's own device definitions, from TOML with units, on top of (or beside) the catalogue.

    [device.our-synchromed]
    base = "synchromed2-20"          # start from a built-in pump (optional)
    verified = true                  # these values were read in our IFU
    min_rate = "0.048 mL/day"
    low_reservoir_alarm = "3 mL"

    [catheter.our-8709]
    name = "8709SC, our IFU"
    volume_per_cm = "0.0022 mL"
    verified = true

Values given here carry the source key ``clinic``. The same keys override a pump in a scenario.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from itbtwin.errors import DeviceError, ItbError
from itbtwin.pump._catalogue import DEVICES, find_device
from itbtwin.pump._device import CatheterSpec, DeviceSpec, Provenance
from itbtwin.units import parse_quantity
from itbtwin.user_files import load_toml

DEVICE_KEYS: dict[str, tuple[str, str | None]] = {
    "reservoir": ("reservoir_ml", "volume"),
    "min_rate": ("min_rate_ml_per_day", "pump_rate"),
    "max_rate": ("max_rate_ml_per_day", "pump_rate"),
    "fixed_rate": ("fixed_rate_ml_per_day", "pump_rate"),
    "reset_rate": ("reset_rate_ml_per_day", "pump_rate"),
    "bolus_rate": ("bolus_rate_ml_per_h", "flow"),
    "low_reservoir_alarm": ("low_reservoir_alarm_ml", "volume"),
    "empty_alarm": ("empty_alarm_ml", "volume"),
    "pump_volume": ("pump_volume_ml", "volume"),
    "pocket_fill_threshold": ("pocket_fill_threshold_ml", "volume"),
    "critical_repeat": ("critical_repeat_h", "duration"),
    "single_repeat": ("single_repeat_h", "duration"),
    "end_of_service": ("eos_h", "duration"),
    "eri_to_stop": ("eri_to_stop_h", "duration"),
    "stability": ("stability_h", "duration"),
    "mri_restart_delay": ("mri_restart_delay_h", "duration"),
    "dose_resolution": ("dose_resolution_mcg_per_day", "daily_dose"),
    "flex_step_limit": ("flex_step_limit", None),
    "flow_bias": ("flow_bias", None),
    "flow_sd": ("flow_sd", None),
    "labelled_accuracy": ("labelled_accuracy", None),
    "mri": ("mri", None),
    "kind": ("kind", None),
    "name": ("name", None),
    "maker": ("maker", None),
    "note": ("note", None),
}
"""TOML key → (DeviceSpec field, unit kind or None for plain values)."""


def device_values(table: Mapping[str, Any]) -> dict[str, Any]:
    """Parse device keys with units (`DEVICE_KEYS`, plus ``low_alarm_range``) into fields."""
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key == "low_alarm_range":
            if not (isinstance(raw, list) and len(raw) == 2):
                raise DeviceError('low_alarm_range must be two volumes, e.g. ["2 mL", "5 mL"]')
            values["low_alarm_range_ml"] = tuple(parse_quantity(v, "volume") for v in raw)
            continue
        if key not in DEVICE_KEYS:
            raise DeviceError(f"unknown device key {key!r}; known: {', '.join(DEVICE_KEYS)}")
        name, kind = DEVICE_KEYS[key]
        values[name] = parse_quantity(raw, kind) if kind else raw
    return values


def build_device(key: str, table: Mapping[str, Any], known: dict[str, DeviceSpec]) -> DeviceSpec:
    """One device from its TOML table: a built-in ``base`` with overrides, or every field."""
    if not isinstance(table, Mapping):
        raise DeviceError(f"device {key!r} must be a table of values")
    table = dict(table)
    if not isinstance(table.get("base", ""), str):
        raise DeviceError(f"device {key!r}: base must be a pump's key such as 'synchromed2-20'")
    base, verified = table.pop("base", None), bool(table.pop("verified", False))
    values = device_values(table)
    if base is not None:
        return find_device(base, known).with_values("clinic", verified, **values)
    provenance = {name: Provenance("clinic", verified) for name in values}
    values.setdefault("maker", "clinic")
    values.setdefault("name", key)
    try:
        return DeviceSpec(key=key, provenance=provenance, **values)
    except TypeError as err:
        raise DeviceError(f"device {key!r} without a base needs every field ({err})") from None


def build_catheter(model: str, table: Mapping[str, Any]) -> CatheterSpec:
    """One catheter from its TOML table (``name``, ``volume_per_cm`` in mL, ``verified``)."""
    if not isinstance(table, Mapping):
        raise DeviceError(f"catheter {model!r} must be a table of values")
    unknown = set(table) - {"name", "volume_per_cm", "verified", "note"}
    if unknown:
        raise DeviceError(f"catheter {model!r}: unknown keys {', '.join(sorted(unknown))}")
    if "volume_per_cm" not in table:
        raise DeviceError(f'catheter {model!r} needs volume_per_cm (e.g. "0.0022 mL")')
    return CatheterSpec(
        model,
        str(table.get("name", model)),
        parse_quantity(table["volume_per_cm"], "volume"),
        Provenance("clinic", bool(table.get("verified", False))),
        str(table.get("note", "")),
    )


def load_devices(path: str | Path) -> tuple[dict[str, DeviceSpec], dict[str, CatheterSpec]]:
    """Read a clinic's device file; returns its pumps and catheters by key.

    Raises `DeviceError` naming the file and the device when a definition is impossible.
    """
    path = Path(path)
    data = load_toml(path, "device file", DeviceError)
    devices: dict[str, DeviceSpec] = {}
    catheters: dict[str, CatheterSpec] = {}
    unknown = set(data) - {"device", "catheter"}
    if unknown:
        raise DeviceError(f"{path}: unknown tables {', '.join(sorted(unknown))}")
    for name in ("device", "catheter"):
        if not isinstance(data.get(name, {}), dict):
            raise DeviceError(f"{path}: {name} must hold [{name}.KEY] tables")
    try:
        for key, table in data.get("device", {}).items():
            where = f"device.{key}"
            devices[key] = build_device(key, table, {**DEVICES, **devices})
        for model, table in data.get("catheter", {}).items():
            where = f"catheter.{model}"
            catheters[model] = build_catheter(model, table)
    except ItbError as err:
        raise DeviceError(f"{path}, [{where}]: {err}") from None
    return devices, catheters
