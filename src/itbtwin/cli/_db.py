"""`itbtwin db upgrade|status`: create or upgrade the records' schema (safe to run twice)."""

from __future__ import annotations

import typer

from itbtwin import store
from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json
from itbtwin.cli._store_args import Database, Json

db_app = typer.Typer(help="The clinic's database: create, upgrade, status.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(database: Database = None, json: Json = False) -> None:
    """Create the schema or bring it to this version's; does nothing when it is current."""
    engine = store.open_engine(database)
    before = store.current_revision(engine)
    after = store.upgrade(engine)
    engine.dispose()
    if json:
        print_json({"database": engine.url.render_as_string(), "from": before, "to": after})
        return
    change = "already current" if before == after else f"{before or 'empty'} → {after}"
    console.print(f"{engine.url.render_as_string()}: schema {after} ({change})")


@db_app.command("status")
def status(database: Database = None, json: Json = False) -> None:
    """Where the records are and which schema revision they have."""
    engine = store.open_engine(database)
    found, head = store.current_revision(engine), store.head_revision()
    engine.dispose()
    payload = {"database": engine.url.render_as_string(), "revision": found, "head": head}
    if json:
        print_json(payload)
        return
    state = "current" if found == head else "needs `itbtwin db upgrade`"
    console.print(f"{payload['database']}: schema {found or 'none'} ({state}; newest {head})")
