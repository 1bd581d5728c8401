"""Turn the dose options of the command line into dose events, with units checked."""

from __future__ import annotations

from itbtwin.errors import RegimenError
from itbtwin.sim import (
    DoseEvent,
    Regimen,
    bolus,
    check_doses,
    check_systemic_dose,
    infusion,
    repeated,
)
from itbtwin.units import parse_duration_h, parse_quantity


def _split_at(text: str) -> tuple[str, float]:
    """``"50 mcg@12h"`` → (``"50 mcg"``, 12.0); no ``@`` means time 0."""
    quantity, at, when = text.partition("@")
    if at and not when.strip():  # "50 mcg@" was read as a dose at 0 h (issue 17)
        raise RegimenError(f"{text!r} has no time after '@': write it as \"50 mcg@24h\"")
    return quantity.strip(), parse_duration_h(when) if at else 0.0


def regimen_from_options(
    boluses: list[str],
    infusions: list[str],
    orals: list[str],
    every: str | None,
    end_h: float,
) -> Regimen:
    """Build a regimen: intrathecal boluses, intrathecal infusions running to the end, and oral
    doses (repeated every ``every`` until the end when given). Each value may end in ``@TIME``."""
    from itbtwin.clinic._titration import check_deliverable

    events: list[DoseEvent] = []

    def within(text: str, at: float, what: str) -> float:
        if at >= end_h:  # a dose after the end was silently left out of the results (issue 17)
            raise RegimenError(
                f"the {what} {text!r} is given after the end of the simulation ({end_h:g} h): "
                "lengthen it with --hours or --days"
            )
        return at

    for text in boluses:
        amount, at = _split_at(text)
        mcg = parse_quantity(amount, "dose")
        if not mcg > 0:  # "0 mcg" simulated nothing without a word (issue 17)
            raise RegimenError(f"--bolus {text!r}: a bolus is more than 0 mcg")
        # no bolus beyond a day of the fastest pump: 1e9 mcg was simulated (issue 17)
        check_deliverable(mcg, f"--bolus {text!r}, a dose")
        events.append(bolus(mcg, at_h=within(text, at, "bolus")))
    for text in infusions:
        daily, start = _split_at(text)
        if start >= end_h:
            raise RegimenError(f"the infusion {text!r} starts after the end of the simulation")
        mcg_per_day = parse_quantity(daily, "daily_dose")
        check_deliverable(mcg_per_day, f"--infusion {text!r}, a daily dose")
        events.append(infusion(mcg_per_day, start_h=start, duration_h=end_h - start))
    interval = parse_duration_h(every) if every else None
    if interval is not None and not orals:
        raise RegimenError("--every repeats oral doses: give --oral too")
    if interval is not None and interval <= 0:
        raise RegimenError("--every must be a positive interval such as 8h")
    for text in orals:
        amount, start = _split_at(text)
        start = within(text, start, "oral dose")
        mcg = check_systemic_dose(parse_quantity(amount, "dose"), f"--oral {text!r}, a dose of")
        if not mcg > 0:
            raise RegimenError(f"--oral {text!r}: a dose is more than 0 mg")
        if interval is None:
            events.append(bolus(mcg, at_h=start, route="oral"))
        else:
            check_doses((end_h - start) / interval, f"--oral {text!r} every {every}")
            times = int((end_h - start) // interval) + 1
            events.append(repeated(mcg, every_h=interval, times=times, start_h=start))
    if not events:
        raise RegimenError("give at least one dose: --bolus, --infusion or --oral")
    return Regimen(events)
