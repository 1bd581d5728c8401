"""`itbtwin clinic set|show`: the clinic's name, phone number and hours, stored and audited.

Reports print them in their header and the patient's education sheet (`itbtwin risk ID --sheet`)
tells the patient whom to call and when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from itbtwin import store
from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._store_args import By, Database, Json, Reason, actor, records

if TYPE_CHECKING:
    from itbtwin.clinic import ClinicContact

clinic_app = typer.Typer(
    help="The clinic's settings (name, phone, hours) used by reports and education sheets.",
    no_args_is_help=True,
)
app.add_typer(clinic_app, name="clinic")

LABELS = {"name": "name", "phone": "phone number", "hours": "opening hours"}
"""Setting → the label `clinic show` prints."""


def _print(contact: ClinicContact, as_json: bool) -> None:
    if as_json:
        print_json(contact.as_dict())
        return
    rows = [[LABELS[k], v or "(not set)"] for k, v in contact.as_dict().items()]
    print_table("Clinic settings", ["setting", "value"], rows)


@clinic_app.command("set")
def clinic_set(
    name: Annotated[str | None, typer.Option(help="The clinic's name.")] = None,
    phone: Annotated[
        str | None, typer.Option(help='The number patients call, e.g. "+44 20 7946 0000".')
    ] = None,
    hours: Annotated[
        str | None, typer.Option(help='When the phone is answered, e.g. "Mon-Fri 08:00-17:00".')
    ] = None,
    reason: Reason = "",
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Set the clinic's name, phone number or hours (audited, before and after)."""
    with records(database) as session:
        contact = store.set_clinic_contact(
            session, actor(by), why=reason, name=name, phone=phone, hours=hours
        )
    if not json:
        console.print("clinic settings saved", highlight=False)
    _print(contact, json)


@clinic_app.command("show")
def clinic_show(database: Database = None, json: Json = False) -> None:
    """Show the clinic's name, phone number and hours."""
    with records(database) as session:
        contact = store.clinic_contact(session)
    _print(contact, json)
