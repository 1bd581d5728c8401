"""`itbtwin db upgrade|status|backup|restore|check`: the clinic's database itself.

`upgrade` is the one command that creates a clinic (a new SQLite file is readable by its owner
only); `backup`, `restore` and `check` keep it safe (docs/records.md, "Backup, restore, check").
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itbtwin import store
from itbtwin.cli._app import app, console
from itbtwin.cli._file_path import file_path
from itbtwin.cli._output import print_json
from itbtwin.cli._store_args import Database, Json
from itbtwin.errors import RecordError

db_app = typer.Typer(
    help="The clinic's database: create, upgrade, status, backup, restore, check.",
    no_args_is_help=True,
)
Force = Annotated[bool, typer.Option("--force", help="Replace an existing file.")]
BackupFile = Annotated[
    Path, typer.Argument(parser=file_path, help="The backup file (SQLite), e.g. clinic-backup.db.")
]
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(database: Database = None, json: Json = False) -> None:
    """Create the schema or bring it to this version's; does nothing when it is current."""
    from sqlalchemy.exc import DBAPIError

    from itbtwin.store._refusals import refusal

    engine = store.open_engine(database)
    try:
        before = store.current_revision(engine)
        after = store.upgrade(engine)
    except DBAPIError as err:  # a read-only database: one line, the schema unchanged
        if (refused := refusal(err, engine)) is not None:
            raise refused from None
        reason = str(err.orig).strip().splitlines()[0]  # PostgreSQL: no schema to create in
        raise RecordError(f"the database refused the upgrade: {reason}") from None
    finally:
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
    try:
        found, head = store.current_revision(engine), store.newest_revision()
        if found not in (None, head):  # a newer itbtwin's schema was told to `db upgrade`
            store.refuse_newer(engine, found)
    finally:
        engine.dispose()
    payload = {"database": engine.url.render_as_string(), "revision": found, "head": head}
    if json:
        print_json(payload)
        return
    state = "current" if found == head else "needs `itbtwin db upgrade`"
    console.print(f"{payload['database']}: schema {found or 'none'} ({state}; newest {head})")


@db_app.command("backup")
def backup(
    file: BackupFile, force: Force = False, database: Database = None, json: Json = False
) -> None:
    """Copy the clinic's SQLite database to FILE (online backup, owner-only, checked)."""
    done = store.backup(database, file, force=force)
    if json:
        print_json(done)
        return
    console.print(
        f"backed up {done['database']} to {done['backup']} (schema {done['revision']}, "
        f"{done['bytes']:,} bytes)",
        highlight=False,
    )


@db_app.command("restore")
def restore(
    file: BackupFile, force: Force = False, database: Database = None, json: Json = False
) -> None:
    """Put a backup back: checked first (integrity, schema, audit chain); --force to replace."""
    done = store.restore(database, file, force=force)
    if json:
        print_json(done)
        return
    then = "; run `itbtwin db upgrade` next" if done["upgrade_needed"] else ""
    console.print(
        f"restored {done['database']} from {done['backup']} (schema {done['revision']}){then}",
        highlight=False,
    )


@db_app.command("check")
def check(database: Database = None, json: Json = False) -> None:
    """Integrity, foreign keys, schema, the audit trail's chain and the file's permissions."""
    findings = store.check_database(database)
    failed = [f for f in findings if not f.ok]
    if json:
        print_json({"ok": not failed, "checks": [f.__dict__ for f in findings]})
    else:
        for f in findings:
            console.print(
                f"{'ok     ' if f.ok else 'PROBLEM'}  {f.check}: {f.detail}", highlight=False
            )
    if failed:
        raise typer.Exit(1)
