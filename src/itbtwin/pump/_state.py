"""The pump's changing state during delivery, and the instant actions that change it.

Two reservoir volumes are kept: the actual one, and the one the pump calculates from what it was
told and what it commanded [pumps.md §7]. Alarms follow the calculated one, as in a pump without
a level sensor; the patient follows the actual one.
"""

from __future__ import annotations

import numpy as np

from itbtwin.pump._actions import Fault, Fill, Refill, Revision
from itbtwin.pump._alarms import ALARMS, AlarmSpan, PumpEvent
from itbtwin.pump._delivery import Ledger, RefillReport
from itbtwin.pump._path import DrugPath
from itbtwin.pump._therapy import Therapy


def _path_concentration(therapy: Therapy) -> float:
    """What the pump's tubing and catheter hold at hour 0 (mcg/mL): the fill's solution, or, for a
    history that starts at a refill that changed the concentration (a bridge bolus at hour 0),
    the old solution the bridge pushes out at the old rate (h30: the path held the new one, so the
    bridge gave a 500 -> 2000 mcg/mL change 4x the dose for its 15 h)."""
    if any(b.kind == "bridge" and b.at_h == 0.0 for b in therapy.boluses):
        return therapy.bridge_plan(0.0).old_concentration_mcg_per_ml
    return therapy.fill.concentration_mcg_per_ml


class PumpState:
    """Mutable state of one pump while `deliver` walks its timeline."""

    def __init__(self, therapy: Therapy, rng: np.random.Generator) -> None:
        self.therapy, self.device, self.rng = therapy, therapy.device, rng
        fill = therapy.fill
        catheter_ml = therapy.catheter_ml_at(0.0)
        path_c = _path_concentration(therapy)
        tip_c = path_c if therapy.primed else 0.0
        self.path = DrugPath(self.device.pump_volume_ml, catheter_ml, path_c, tip_c)
        self.res_v, self.res_c, self.est = (
            fill.volume_ml,
            fill.concentration_mcg_per_ml,
            fill.volume_ml,
        )
        self.fill_ml, self.fill_time = fill.volume_ml, 0.0
        self.flow_factor = self._draw_flow_factor()
        self.occluded, self.leak = 0.0, 0.0
        self.catheter_faults: list[Fault] = []
        self.stalls: set[str] = set()
        self.reset = False
        self.alarms: dict[str, tuple[float, str]] = {}
        self.spans: list[AlarmSpan] = []
        self.events: list[PumpEvent] = []
        self.refills: list[RefillReport] = []
        self.account = {k: [0.0, 0.0] for k in ("delivered", "leaked", "pocket", "removed")}
        self.filled = [fill.dose_mcg + self.path.mass_mcg, fill.volume_ml + self.path.volume_ml]
        self.instant_it: dict[float, float] = {}
        self.instant_sc: dict[float, float] = {}

    def _draw_flow_factor(self) -> float:
        d, mode = self.device, self.therapy.accuracy
        if mode == "ideal":
            return 1.0
        if mode == "typical":
            return 1.0 + d.flow_bias
        return max(0.0, 1.0 + self.rng.normal(d.flow_bias, d.flow_sd))

    def log(self, t: float, kind: str, detail: str, **extra: object) -> None:
        """Add an event to the log."""
        self.events.append(PumpEvent(t, kind, detail, **extra))  # type: ignore[arg-type]

    def alarm_on(self, name: str, t: float, detail: str) -> None:
        """Start sounding an alarm (pumps without electronics have none)."""
        if self.device.has_alarms and name not in self.alarms:
            self.alarms[name] = (t, detail)

    def alarm_off(self, name: str, t: float) -> None:
        """Stop an alarm, recording its span."""
        if name in self.alarms:
            start, detail = self.alarms.pop(name)
            self.spans.append(AlarmSpan(name, start, t, detail))

    def close(self) -> None:
        """Record the alarms still sounding at the end."""
        for name, (start, detail) in self.alarms.items():
            self.spans.append(AlarmSpan(name, start, None, detail))
        self.alarms = {}

    def deliver_at_tip(self, t: float, mass: float, volume: float, instant: bool) -> None:
        """Book drug leaving the catheter: a share `leak` goes to tissue instead of CSF."""
        lost = mass * self.leak
        self.account["delivered"][0] += mass - lost
        self.account["leaked"][0] += lost
        self.account["delivered"][1] += volume * (1 - self.leak)
        self.account["leaked"][1] += volume * self.leak
        if instant:
            self.instant_it[t] = self.instant_it.get(t, 0.0) + mass - lost
            self.instant_sc[t] = self.instant_sc.get(t, 0.0) + lost

    def refill(self, visit: Refill, pocket_fraction: float) -> None:
        """Withdraw the residual, compare with the calculated one, inject, check for pocket fill."""
        t, fill, expected = visit.at_h, visit.fill, self.est
        expected_delivered = self.fill_ml - self.est
        actual_delivered = self.fill_ml - self.res_v
        error = 100 * (actual_delivered / expected_delivered - 1) if expected_delivered > 0 else 0.0
        withdrawn = self.res_v
        self.account["removed"][0] += withdrawn * self.res_c
        self.account["removed"][1] += withdrawn
        pocket_ml = fill.volume_ml * pocket_fraction
        self.account["pocket"][0] += pocket_ml * fill.concentration_mcg_per_ml
        self.account["pocket"][1] += pocket_ml
        if pocket_ml:
            self.instant_sc[t] = (
                self.instant_sc.get(t, 0.0) + pocket_ml * fill.concentration_mcg_per_ml
            )
        self.filled[0] += fill.dose_mcg
        self.filled[1] += fill.volume_ml
        self.res_v, self.res_c = fill.volume_ml - pocket_ml, fill.concentration_mcg_per_ml
        self.est, self.fill_ml, self.fill_time = fill.volume_ml, fill.volume_ml, t
        self.flow_factor = self._draw_flow_factor()
        flag = pocket_ml > self.device.pocket_fill_threshold_ml
        self.refills.append(
            RefillReport(
                t,
                expected,
                withdrawn,
                error,
                fill.volume_ml,
                fill.concentration_mcg_per_ml,
                fill.product,
                pocket_ml,
                flag,
            )
        )
        self.log(t, "refill", self._refill_detail(fill, withdrawn, error, pocket_ml))
        if pocket_ml:
            self.log(
                t,
                "fault",
                f"pocket fill: {pocket_ml:.3g} mL of the refill went into the subcutaneous "
                "pocket, not the reservoir",
            )
        if flag:
            self.log(
                t,
                "pocket_fill_suspected",
                f"reservoir holds {pocket_ml:.3g} mL less than "
                f"injected (> {self.device.pocket_fill_threshold_ml:g} mL, maino2017)",
            )
        for name in ("low_reservoir", "empty_reservoir"):
            self.alarm_off(name, t)

    def _refill_detail(self, fill: Fill, withdrawn: float, error: float, pocket_ml: float) -> str:
        """The refill as a clinician reads it: where the drug went, the reservoir or, in a
        pocket fill, partly the pocket (mL); a pocket fill is not an injection into the pump."""
        solution = f"{fill.product} " if fill.product else ""
        solution += f"at {fill.concentration_mcg_per_ml:g} mcg/mL"
        went = f"{fill.volume_ml:g} mL {solution} into the reservoir"
        if pocket_ml:
            went = (
                f"injected {fill.volume_ml:g} mL {solution}: {fill.volume_ml - pocket_ml:.3g} mL "
                f"into the reservoir, {pocket_ml:.3g} mL into the pocket (subcutaneous)"
            )
        return f"refill: withdrew {withdrawn:.3g} mL (delivery error {error:+.1f}%), {went}"

    def revise(self, revision: Revision) -> None:
        """Replace the catheter: old contents removed, new catheter empty, catheter faults end."""
        removed_ml, removed_mcg = self.path.replace_catheter(revision.volume_ml)
        self.account["removed"][0] += removed_mcg
        self.account["removed"][1] += removed_ml
        self.filled[1] += revision.volume_ml
        self.catheter_faults = []
        self.refresh_catheter()
        self.log(
            revision.at_h,
            "catheter_revision",
            f"new {revision.catheter.model} catheter, {revision.length_cm:g} cm "
            f"({revision.volume_ml:.3g} mL, empty: needs a priming bolus)",
        )

    def refresh_catheter(self) -> None:
        """Flow blocked and drug lost at the tip from the catheter faults now active."""
        blocked = [f.fraction for f in self.catheter_faults if f.kind in ("occlusion", "kink")]
        lost = [f.fraction for f in self.catheter_faults if f.kind in ("fracture", "disconnection")]
        self.occluded, self.leak = max(blocked, default=0.0), max(lost, default=0.0)

    def sounding(self) -> bool:
        """True while any alarm sounds."""
        return bool(self.alarms)

    def stop(self, t: float, reason: str, alarm: str, detail: str) -> None:
        """Stop the motor for ``reason`` with an alarm (critical ones are two-tone)."""
        self.stalls.add(reason)
        self.alarm_on(alarm, t, detail)
        tone = ALARMS[alarm].tone if self.device.has_alarms else ""
        self.log(
            t,
            "fault" if reason != "end_of_service" else "end_of_service",
            detail,
            alarm=alarm,
            tone=tone,
        )

    def ledger(self) -> Ledger:
        """The final ledger (mcg, mL)."""
        a = {k: (v[0], v[1]) for k, v in self.account.items()}
        return Ledger(
            filled=(self.filled[0], self.filled[1]),
            reservoir=(self.res_v * self.res_c, self.res_v),
            path=(self.path.mass_mcg, self.path.volume_ml),
            **a,
        )
