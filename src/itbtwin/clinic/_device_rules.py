"""The safety check's rules on the device and the drug: a program the pump can run and enter,
a refill that fits, and the drug's stability.

Device limits and the programming resolution come from the device catalogue with their sources;
baclofen is stable 180 days in the pump (synchromed2:S2).
"""

from __future__ import annotations

from itbtwin.clinic._program_change import ProgramChange
from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.errors import ProgramError


def resolution_reasons(change: ProgramChange) -> list[Reason]:
    """Warn when a proposed rate is not a whole number of the pump's programming steps (it would
    be entered rounded; `pump.programmable_dose`, the catalogue's resolution)."""
    device = change.device
    step = device.dose_resolution_mcg_per_day
    source = device.source_of("dose_resolution_mcg_per_day").source
    reasons = []
    for rate in sorted({s.rate_mcg_per_day for s in change.proposed.steps}):
        entered = device.programmable_dose(rate, down=False)
        if abs(entered - rate) > 1e-9 * max(rate, 1.0):
            reasons.append(
                Reason(
                    "dose_resolution",
                    Verdict.WARN,
                    source,
                    f"{rate:g} mcg/day is not a whole number of the pump's {step:g} mcg/day "
                    f"steps: it would be entered as {entered:g} mcg/day",
                )
            )
    return reasons


def device_reasons(change: ProgramChange) -> list[Reason]:
    """Block a program the device cannot run and a refill that does not fit the reservoir."""
    device, reasons = change.device, []
    source = device.provenance.get("max_rate_ml_per_day") or device.provenance["reservoir_ml"]
    try:
        change.proposed.check_device(device)
    except ProgramError as err:
        reasons.append(Reason("device_limit", Verdict.BLOCK, source.source, str(err)))
    if change.refill and change.refill.volume_ml > device.reservoir_ml:
        reasons.append(
            Reason(
                "device_limit",
                Verdict.BLOCK,
                device.provenance["reservoir_ml"].source,
                f"a refill of {change.refill.volume_ml:g} mL does not fit the "
                f"{device.reservoir_ml:g} mL reservoir of {device.name}",
            )
        )
    return reasons


def stability_reasons(change: ProgramChange) -> list[Reason]:
    """Block a planned refill interval beyond drug stability; warn when the fill outlasts it."""
    cap_days = change.device.stability_h / 24
    source = change.device.provenance["stability_h"].source
    if change.next_refill_days is not None and change.next_refill_days > cap_days + 1e-9:
        return [
            Reason(
                "stability_cap",
                Verdict.BLOCK,
                source,
                f"the next refill is planned {change.next_refill_days:g} days out; baclofen is "
                f"stable {cap_days:g} days in the pump: refill by day {cap_days:g}",
            )
        ]
    if change.refill and change.proposed.daily_volume_ml() > 0:
        lasts = (change.refill.volume_ml - change.device.low_reservoir_alarm_ml) / (
            change.proposed.daily_volume_ml()
        )
        if lasts > cap_days and change.next_refill_days is None:
            return [
                Reason(
                    "stability_cap",
                    Verdict.WARN,
                    source,
                    f"this fill would last {lasts:.0f} days to the low-reservoir alarm, past the "
                    f"{cap_days:g}-day stability of baclofen: set the refill date by day "
                    f"{cap_days:g}, not by the alarm",
                )
            ]
    return []
