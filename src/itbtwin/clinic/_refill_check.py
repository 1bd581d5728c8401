"""Refill reconciliation and the pocket-fill check, as a nurse records a refill.

At a refill the residual is aspirated and compared with the residual the programmer calculated:
the difference, as a share of the volume the pump should have delivered since the last fill, is
the delivery error (wesemann2014: how clinical accuracy is measured). After the refill, a
reservoir that holds less than was injected, by more than the device's threshold (1 mL in a 20 mL
pump, 2 mL in a 40 mL pump), may mean drug went into the pocket (maino2017); the reservoir now
holding another concentration than the program is told doses wrongly (synchromed2:S13).
"""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin.clinic._reasons import Reason, Verdict, worst
from itbtwin.clinic._settings import setting
from itbtwin.drug import find_product
from itbtwin.errors import RecordError
from itbtwin.pump import DeviceSpec


@dataclass(frozen=True)
class RefillVisit:
    """What was measured at the visit (mL, mcg/mL); `measured_ml` None when not measured."""

    withdrawn_ml: float
    expected_ml: float
    injected_ml: float
    product: str
    concentration_mcg_per_ml: float
    measured_ml: float | None = None


@dataclass(frozen=True)
class RefillCheck:
    """The reconciliation: discrepancy (mL), delivery error (%), pocket check and findings."""

    discrepancy_ml: float
    error_pct: float | None
    pocket_discrepancy_ml: float | None
    pocket_fill_flag: bool
    reasons: tuple[Reason, ...]

    @property
    def verdict(self) -> Verdict:
        return worst(list(self.reasons))

    def as_dict(self) -> dict[str, object]:
        return {
            "discrepancy_ml": self.discrepancy_ml,
            "error_pct": self.error_pct,
            "pocket_discrepancy_ml": self.pocket_discrepancy_ml,
            "pocket_fill_flag": self.pocket_fill_flag,
            "verdict": self.verdict.value,
            "reasons": [r.as_dict() for r in self.reasons],
        }


def _check_volumes(visit: RefillVisit, device: DeviceSpec, last_fill_ml: float | None) -> None:
    volumes = {"withdrawn": visit.withdrawn_ml, "expected": visit.expected_ml}
    volumes["injected"] = visit.injected_ml
    if visit.measured_ml is not None:
        volumes["measured"] = visit.measured_ml
    for name, volume in volumes.items():
        if not volume >= 0:
            raise RecordError(f"the {name} volume must be 0 mL or more, got {volume:g} mL")
        if volume > device.reservoir_ml:
            raise RecordError(
                f"the {name} volume {volume:g} mL is larger than the {device.reservoir_ml:g} mL "
                f"reservoir of {device.name}"
            )
    if visit.injected_ml == 0:
        raise RecordError("a refill injects some volume; the injected volume is 0 mL")
    if last_fill_ml is not None and visit.withdrawn_ml > last_fill_ml:
        raise RecordError(
            f"withdrew {visit.withdrawn_ml:g} mL but the last fill was {last_fill_ml:g} mL"
        )


def reconcile_refill(
    visit: RefillVisit,
    device: DeviceSpec,
    *,
    last_fill_ml: float | None,
    program_concentration_mcg_per_ml: float,
) -> RefillCheck:
    """Reconcile a refill against the pump's calculation and check for a pocket fill.

    `last_fill_ml`: the volume in the reservoir after the previous fill (None: unknown, no error
    is computed). Raises `RecordError` for volumes that cannot be (negative, larger than the
    reservoir, more withdrawn than was filled) and `ProductError` for an unknown product.
    """
    _check_volumes(visit, device, last_fill_ml)
    if visit.product:
        find_product(visit.product, visit.concentration_mcg_per_ml)
    reasons: list[Reason] = []
    discrepancy = visit.withdrawn_ml - visit.expected_ml
    error = None
    if last_fill_ml is not None and last_fill_ml > visit.expected_ml:
        programmed = last_fill_ml - visit.expected_ml
        error = 100 * ((last_fill_ml - visit.withdrawn_ml) / programmed - 1)
        tolerance = setting("refill_error_tolerance")
        if abs(error) > tolerance:
            reasons.append(
                Reason(
                    "refill_discrepancy",
                    Verdict.WARN,
                    "prometra",
                    f"withdrew {visit.withdrawn_ml:g} mL where the pump expected "
                    f"{visit.expected_ml:g} mL: delivery {error:+.1f}% against the program "
                    f"(more than ±{tolerance:g}%); check the pump and the catheter",
                )
            )
    pocket = None if visit.measured_ml is None else visit.injected_ml - visit.measured_ml
    flag = pocket is not None and pocket > device.pocket_fill_threshold_ml
    if flag:
        reasons.append(
            Reason(
                "pocket_fill_suspected",
                Verdict.BLOCK,
                "maino2017",
                f"the reservoir holds {pocket:.3g} mL less than was injected (more than "
                f"{device.pocket_fill_threshold_ml:g} mL): possible pocket fill; watch for "
                "overdose",
            )
        )
    if visit.concentration_mcg_per_ml != program_concentration_mcg_per_ml:
        reasons.append(
            Reason(
                "concentration_not_programmed",
                Verdict.BLOCK,
                "synchromed2:S13",
                f"the reservoir now holds {visit.concentration_mcg_per_ml:g} mcg/mL but the "
                f"program is told {program_concentration_mcg_per_ml:g} mcg/mL: set the program "
                "to the new concentration (with a bridge bolus) before the patient leaves",
            )
        )
    if not reasons:
        reasons.append(
            Reason(
                "refill_reconciled",
                Verdict.PASS,
                "wesemann2014",
                f"withdrew {visit.withdrawn_ml:g} mL against {visit.expected_ml:g} mL expected"
                + ("" if error is None else f" ({error:+.1f}% delivery)"),
            )
        )
    return RefillCheck(discrepancy, error, pocket, flag, tuple(reasons))
