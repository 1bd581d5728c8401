"""The device catalogue: pumps and catheters with the source of every number (reference/pumps.md).

Values the reference marks "(from memory, verify)" carry ``verified=False``; a clinic replaces them
with its IFU values through a device TOML file (`load_devices`). Section suffixes (``:S25``) are the
[S#] numbers of pumps.md.
"""

from __future__ import annotations

from itbtwin.errors import DeviceError
from itbtwin.pump._device import HOURS_PER_YEAR, CatheterSpec, DeviceSpec, Provenance

_DAY_H = 24.0
_MEMORY = False  # verified flag of "(from memory, verify)" values


def _p(source: str, verified: bool = True) -> Provenance:
    return Provenance(source, verified)


def _synchromed(key: str, name: str, reservoir_ml: float, pocket_ml: float, source: str):
    """SynchroMed II (and III, which keeps its design): the shared numbers and their sources."""
    return DeviceSpec(
        key=key,
        name=name,
        maker="Medtronic",
        kind="programmable",
        reservoir_ml=reservoir_ml,
        min_rate_ml_per_day=0.048,
        max_rate_ml_per_day=24.0,
        bolus_rate_ml_per_h=1.0,
        flex_step_limit=13,
        low_reservoir_alarm_ml=2.0,
        low_alarm_range_ml=(2.0, 5.0),
        empty_alarm_ml=0.0,
        critical_repeat_h=10 / 60,
        single_repeat_h=1.0,
        eos_h=7 * HOURS_PER_YEAR,
        eri_to_stop_h=90 * _DAY_H,
        stability_h=180 * _DAY_H,
        pump_volume_ml=0.2,
        reset_rate_ml_per_day=0.048,
        flow_bias=0.025,
        flow_sd=0.05,
        labelled_accuracy=0.145,
        mri="stall",
        mri_restart_delay_h=2.0,
        pocket_fill_threshold_ml=pocket_ml,
        provenance={
            "reservoir_ml": _p(source),
            "min_rate_ml_per_day": _p("synchromed2", _MEMORY),
            "max_rate_ml_per_day": _p("synchromed2", _MEMORY),
            "bolus_rate_ml_per_h": _p("assumption", _MEMORY),
            "flex_step_limit": _p("synchromed2:S14"),
            "low_reservoir_alarm_ml": _p("synchromed2:S25"),
            "low_alarm_range_ml": _p("synchromed2", _MEMORY),
            "empty_alarm_ml": _p("assumption", _MEMORY),
            "critical_repeat_h": _p("synchromed2", _MEMORY),
            "single_repeat_h": _p("synchromed2:S23"),
            "eos_h": _p("synchromed2:S26"),
            "eri_to_stop_h": _p("synchromed2:S26"),
            "stability_h": _p("synchromed2:S2"),
            "pump_volume_ml": _p("assumption", _MEMORY),
            "reset_rate_ml_per_day": _p("synchromed2:S22", _MEMORY),
            "flow_bias": _p("wesemann2014"),
            "flow_sd": _p("assumption", _MEMORY),
            "labelled_accuracy": _p("synchromed2:S19", _MEMORY),
            "mri_restart_delay_h": _p("synchromed2:S9"),
            "pocket_fill_threshold_ml": _p("maino2017"),
            "dose_resolution_mcg_per_day": _p("assumption", _MEMORY),
        },
    )


def _prometra(key: str, name: str, reservoir_ml: float, mri: str, pocket_ml: float):
    """Flowonix Prometra (valve-gated); almost every number except size and accuracy unverified."""
    return DeviceSpec(
        key=key,
        name=name,
        maker="Flowonix",
        kind="programmable",
        reservoir_ml=reservoir_ml,
        min_rate_ml_per_day=0.05,
        max_rate_ml_per_day=28.8,
        bolus_rate_ml_per_h=1.2,
        flex_step_limit=13,
        low_reservoir_alarm_ml=3.0,
        low_alarm_range_ml=(1.0, 5.0),
        empty_alarm_ml=0.0,
        critical_repeat_h=10 / 60,
        single_repeat_h=1.0,
        eos_h=10 * HOURS_PER_YEAR,
        eri_to_stop_h=90 * _DAY_H,
        stability_h=180 * _DAY_H,
        pump_volume_ml=0.2,
        reset_rate_ml_per_day=0.05,
        flow_bias=-0.032,
        flow_sd=0.05,
        labelled_accuracy=0.15,
        mri=mri,  # type: ignore[arg-type]
        mri_restart_delay_h=0.0,
        pocket_fill_threshold_ml=pocket_ml,
        provenance={
            "reservoir_ml": _p("prometra:S49"),
            "min_rate_ml_per_day": _p("prometra", _MEMORY),
            "max_rate_ml_per_day": _p("prometra", _MEMORY),
            "bolus_rate_ml_per_h": _p("assumption", _MEMORY),
            "flex_step_limit": _p("assumption", _MEMORY),
            "low_reservoir_alarm_ml": _p("prometra:S57"),
            "low_alarm_range_ml": _p("assumption", _MEMORY),
            "empty_alarm_ml": _p("assumption", _MEMORY),
            "critical_repeat_h": _p("assumption", _MEMORY),
            "single_repeat_h": _p("assumption", _MEMORY),
            "eos_h": _p("prometra", _MEMORY),
            "eri_to_stop_h": _p("assumption", _MEMORY),
            "stability_h": _p("assumption", _MEMORY),
            "pump_volume_ml": _p("prometra:S58", _MEMORY),
            "reset_rate_ml_per_day": _p("assumption", _MEMORY),
            "flow_bias": _p("prometra:S55", _MEMORY),  # 96.8% read as a -3.2% mean bias
            "flow_sd": _p("assumption", _MEMORY),
            "labelled_accuracy": _p("prometra:S55"),
            "mri_restart_delay_h": _p("prometra:S53"),
            "pocket_fill_threshold_ml": _p("maino2017"),
            "dose_resolution_mcg_per_day": _p("assumption", _MEMORY),
        },
        note="low_reservoir_alarm_ml is the PTC refill-date volume (3.0 mL) [prometra:S57]",
    )


_CODMAN = DeviceSpec(
    key="codman3000",
    name="Codman 3000 constant-flow pump",
    maker="Codman",
    kind="constant_flow",
    reservoir_ml=30.0,
    min_rate_ml_per_day=1.0,
    max_rate_ml_per_day=1.0,
    bolus_rate_ml_per_h=1.0,
    flex_step_limit=1,
    low_reservoir_alarm_ml=0.0,
    low_alarm_range_ml=(0.0, 0.0),
    empty_alarm_ml=0.0,
    critical_repeat_h=1.0,
    single_repeat_h=1.0,
    eos_h=None,
    eri_to_stop_h=0.0,
    stability_h=180 * _DAY_H,
    pump_volume_ml=0.2,
    reset_rate_ml_per_day=1.0,
    flow_bias=0.0,
    flow_sd=0.05,
    labelled_accuracy=0.1,
    mri="unaffected",
    mri_restart_delay_h=0.0,
    pocket_fill_threshold_ml=2.0,
    fixed_rate_ml_per_day=1.0,
    provenance={
        "reservoir_ml": _p("codman3000"),
        "fixed_rate_ml_per_day": _p("codman3000", _MEMORY),
        "min_rate_ml_per_day": _p("codman3000", _MEMORY),
        "max_rate_ml_per_day": _p("codman3000", _MEMORY),
        "stability_h": _p("assumption", _MEMORY),
        "pump_volume_ml": _p("assumption", _MEMORY),
        "flow_sd": _p("assumption", _MEMORY),
        "labelled_accuracy": _p("assumption", _MEMORY),
        "pocket_fill_threshold_ml": _p("maino2017"),
    },
    note="battery-free, no alarms; the dose is set only through the concentration (from memory)",
)

DEVICES: dict[str, DeviceSpec] = {
    d.key: d
    for d in (
        _synchromed("synchromed2-20", "SynchroMed II 20 mL (8637-20)", 20.0, 1.0, "synchromed2:S1"),
        _synchromed("synchromed2-40", "SynchroMed II 40 mL (8637-40)", 40.0, 2.0, "synchromed2:S1"),
        _synchromed("synchromed3", "SynchroMed III", 20.0, 1.0, "synchromed2:S39").with_values(
            "synchromed2:S39", False, reservoir_ml=20.0
        ),
        _prometra("prometra2-20", "Prometra II 20 mL (REF 13827)", 20.0, "fav_lock", 1.0),
        _prometra("prometra2-40", "Prometra II 40 mL (REF 16827)", 40.0, "fav_lock", 2.0),
        _prometra("prometra-20", "Prometra 20 mL (REF 11827)", 20.0, "valve_dump", 1.0),
        _CODMAN,
    )
}
"""Built-in pumps by key. Unverified values: `DeviceSpec.unverified()`."""

_CATHETER_VOLUME = Provenance("synchromed2:S28", verified=False)

CATHETERS: dict[str, CatheterSpec] = {
    c.model: c
    for c in (
        CatheterSpec("8709SC", "Indura 1P one-piece SC", 0.0022, _CATHETER_VOLUME),
        CatheterSpec("8731SC", "Indura 2P two-piece SC", 0.0022, _CATHETER_VOLUME),
        CatheterSpec("ascenda", "Ascenda 8780/8781", 0.0022, Provenance("synchromed2:S30", False)),
        CatheterSpec(
            "prometra", "Prometra intrathecal catheter", 0.0022, Provenance("prometra:S58", False)
        ),
    )
}
"""Built-in catheters; internal volume per cm is a gap in the reference (from memory, verify)."""


def _lookup(table: dict, key: str, what: str):
    try:
        return table[key]
    except KeyError:
        raise DeviceError(f"unknown {what} {key!r}; known: {', '.join(sorted(table))}") from None


def find_device(key: str, extra: dict[str, DeviceSpec] | None = None) -> DeviceSpec:
    """The pump called ``key`` among the built-ins and a clinic's own definitions."""
    return _lookup({**DEVICES, **(extra or {})}, key, "pump")


def find_catheter(model: str, extra: dict[str, CatheterSpec] | None = None) -> CatheterSpec:
    """The catheter called ``model`` (``8709SC``, ``ascenda``...), built-in or a clinic's."""
    return _lookup({**CATHETERS, **(extra or {})}, model, "catheter")
