"""`itbtwin user add|list|disable|reset-password`: who may sign in to the web workspace.

A new or reset password is typed at a hidden prompt (or generated and shown once with
``--generate``); a physician's TOTP secret is shown once, for their authenticator app.
"""

from __future__ import annotations

from typing import Annotated

import typer

from itbtwin import store
from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._store_args import By, Database, Json, actor, records

user_app = typer.Typer(help="Users of the web workspace (itbtwin serve).", no_args_is_help=True)
app.add_typer(user_app, name="user")

Generate = Annotated[
    bool, typer.Option("--generate", help="Generate a random password and show it once.")
]
Why = Annotated[str, typer.Option("--reason", help="Why (written to the audit trail).")]


def _password(generate: bool) -> str:
    if generate:
        return store.new_password()
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


def _show_secret(user: store.ClinicUser, password: str | None) -> None:
    if password is not None:
        console.print(f"password (shown once): {password}", highlight=False)
    uri = store.totp_uri(user)
    if uri:
        console.print(f"TOTP secret for the authenticator app (shown once): {user.totp_secret}")
        console.print(f"  {uri}", highlight=False, soft_wrap=True)


@user_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="User name (no spaces).")],
    role: Annotated[str, typer.Option(help="physician, nurse or researcher.")],
    generate: Generate = False,
    database: Database = None,
    by: By = None,
) -> None:
    """Add a user; physicians get a TOTP second factor."""
    password = _password(generate)
    with records(database) as session:
        user = store.add_user(session, actor(by), username, role, password)
    console.print(f"user {user.username} ({user.role}) added", highlight=False)
    _show_secret(user, password if generate else None)


@user_app.command("list")
def list_(database: Database = None, json: Json = False) -> None:
    """Every user: name, role, second factor, whether disabled."""
    with records(database) as session:
        rows = [
            {
                "username": u.username,
                "role": u.role,
                "totp": u.totp_secret is not None,
                "disabled": u.disabled,
            }
            for u in store.list_users(session)
        ]
    if json:
        print_json({"users": rows})
        return
    print_table(
        "Users of the web workspace",
        ["user", "role", "second factor", "disabled"],
        [[r["username"], r["role"], "TOTP" if r["totp"] else "-", r["disabled"]] for r in rows],
    )


@user_app.command("disable")
def disable(
    username: Annotated[str, typer.Argument(help="User name.")],
    reason: Why = "",
    database: Database = None,
    by: By = None,
) -> None:
    """Disable a user: no new sign-in; their open sessions end at their next request."""
    with records(database) as session:
        store.disable_user(session, actor(by), username, reason)
    console.print(f"user {username} disabled", highlight=False)


@user_app.command("reset-password")
def reset_password(
    username: Annotated[str, typer.Argument(help="User name.")],
    generate: Generate = False,
    reason: Why = "",
    database: Database = None,
    by: By = None,
) -> None:
    """Set a new password (and, for a physician, a new TOTP secret); re-enables the user."""
    password = _password(generate)
    with records(database) as session:
        user = store.reset_password(session, actor(by), username, password, reason)
    console.print(f"password of {username} reset", highlight=False)
    _show_secret(user, password if generate else None)
