"""`itbtwin refill record`: store a refill visit after reconciling it and checking for a pocket
fill (`clinic.reconcile_refill`, through `store.record_refill`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from itbtwin import store
from itbtwin.cli._app import console
from itbtwin.cli._output import print_json, print_reasons
from itbtwin.cli._refill import refill_app
from itbtwin.cli._store_args import At, By, Database, Json, actor, now, records, when
from itbtwin.display import badge, format_datetime
from itbtwin.units import parse_quantity

if TYPE_CHECKING:  # the clinic's refill check loads when a refill is recorded (issue 13)
    from itbtwin.clinic import RefillCheck, RefillVisit

Volume = Annotated[str, typer.Option(show_default=False)]


def _visit(
    withdrawn: str,
    expected: str,
    injected: str,
    measured: str | None,
    concentration: str,
    product: str,
) -> RefillVisit:
    from itbtwin.clinic import RefillVisit

    return RefillVisit(
        withdrawn_ml=parse_quantity(withdrawn, "volume"),
        expected_ml=parse_quantity(expected, "volume"),
        injected_ml=parse_quantity(injected, "volume"),
        product=product,
        concentration_mcg_per_ml=parse_quantity(concentration, "concentration"),
        measured_ml=None if measured is None else parse_quantity(measured, "volume"),
    )


@refill_app.command("record")
def record(
    serial: Annotated[str, typer.Argument(help="The pump's serial number.")],
    withdrawn: Annotated[str, typer.Option(help='Residual withdrawn, e.g. "4.6 mL".')],
    expected: Annotated[str, typer.Option(help='Residual the programmer calculated, e.g. "5 mL".')],
    injected: Annotated[str, typer.Option(help='Volume injected, e.g. "20 mL".')],
    concentration: Annotated[str, typer.Option(help='Refill concentration, "500 mcg/mL".')],
    measured: Annotated[
        str | None,
        typer.Option(
            help='Reservoir volume measured after the refill (pocket-fill check), "19.9 mL".'
        ),
    ] = None,
    product: Annotated[str, typer.Option(help="Product, e.g. Lioresal.")] = "",
    lot: Annotated[str, typer.Option(help="Lot number.")] = "",
    at: At = None,
    reason: Annotated[str, typer.Option(help="Note for the audit trail.")] = "",
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Reconcile and store a refill: discrepancy (mL), delivery error (%), pocket-fill check."""
    visit = _visit(withdrawn, expected, injected, measured, concentration, product)
    with records(database) as session:
        pump = store.find_pump(session, serial)
        stored, check = store.record_refill(
            session,
            actor(by),
            pump,
            visit,
            performed_at=when(at, "--at", offset=True),
            lot=lot,
            now=now(),
            why=reason,
        )
        performed = stored.performed_at
    if json:
        print_json({"serial": serial, "performed_at": performed.isoformat(), **check.as_dict()})
        return
    console.print(
        f"refill of pump {serial} at {format_datetime(performed)} recorded", highlight=False
    )
    show_check(check)


def show_check(check: RefillCheck) -> None:
    """Discrepancy (mL), delivery error (%), the pocket-fill verdict and every finding."""
    error = "not computed" if check.error_pct is None else f"{check.error_pct:+.1f}%"
    console.print(
        f"discrepancy (withdrawn − expected): {check.discrepancy_ml:+.2f} mL; "
        f"delivery error (delivered vs programmed since the last fill): {error}",
        highlight=False,
    )
    if check.pocket_discrepancy_ml is None:
        pocket = "not checked (no --measured volume)"
    elif check.pocket_fill_flag:
        pocket = f"SUSPECTED: {check.pocket_discrepancy_ml:.2f} mL not in the reservoir"
    else:
        pocket = f"not suspected ({check.pocket_discrepancy_ml:.2f} mL injected − measured)"
    console.print(f"pocket fill: {pocket}", highlight=False)
    console.print(f"verdict: {badge(check.verdict)}")
    print_reasons(list(check.reasons))
