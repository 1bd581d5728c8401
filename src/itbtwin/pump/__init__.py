"""The implanted infusion system: device catalogue, programs, drug path, alarms, refills, faults.

`deliver(therapy)` walks a `Therapy` (device, catheter, fills, program history, boluses, faults)
and returns a `Delivery`: exact piecewise-constant drug rates at the catheter tip, the reservoir,
the event log with alarm tones, refill reports and a mass ledger. Volumes mL, rates mL/day at the
pump and mcg/h at the tip, doses mcg, times in elapsed hours.
"""

from itbtwin._lazy_exports import lazy_exports

# Each private module and the public names it defines, imported when first read (issue 13).
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "_actions": (
            "BOLUS_KINDS",
            "FAULT_KINDS",
            "Bolus",
            "Fault",
            "Fill",
            "Refill",
            "Revision",
            "SMALLEST_FILL_ML",
        ),
        "_alarms": (
            "ALARMS",
            "AlarmKind",
            "PumpEvent",
        ),
        "_bridge": (
            "BRIDGE_SOURCE",
            "BridgePlan",
            "bridge_plan",
            "weekly_ml_per_day",
        ),
        "_catalogue": (
            "CATHETERS",
            "DEVICES",
            "find_catheter",
            "find_device",
        ),
        "_clock": (
            "ClockChange",
            "PumpClock",
            "repeated",
            "skipped",
            "zone",
        ),
        "_delivery": (
            "Delivery",
            "Ledger",
            "RefillReport",
        ),
        "_device": (
            "CATHETER_LENGTH_CM",
            "DOSE_RESOLUTION_MCG_PER_DAY",
            "FIRST_PROGRAMMABLE_PUMP",
            "CatheterSpec",
            "DeviceSpec",
            "Provenance",
            "programmable_dose",
        ),
        "_device_toml": (
            "DEVICE_KEYS",
            "device_values",
            "load_devices",
        ),
        "_engine": ("deliver",),
        "_forecast": (
            "days_to_low_reservoir",
            "ptc_refill_days",
            "refill_due_day",
        ),
        "_path": ("DrugPath",),
        "_program": (
            "WEEKDAYS",
            "ClockBolus",
            "DemandSettings",
            "Program",
            "Step",
        ),
        "_random_faults": (
            "FAULT_RATES",
            "draw_faults",
        ),
        "_safety": ("dose_change_warnings",),
        "_therapy": ("Therapy",),
    },
)
