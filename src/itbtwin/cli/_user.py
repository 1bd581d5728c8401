"""`itbtwin user add|list|disable|reset-password|end-sessions`: who may sign in to the workspace.

A new or reset password is typed at a hidden prompt (or generated and shown once with
``--generate``). It is temporary: at first sign-in the user chooses their own password and
enrols an authenticator app, and an unused one expires after ``--valid-for`` (72 h by default).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from itbtwin import store
from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json, print_table
from itbtwin.cli._store_args import By, Database, Json, actor, records
from itbtwin.display import format_count, format_datetime
from itbtwin.errors import RecordError
from itbtwin.units import parse_duration_h

user_app = typer.Typer(help="Users of the web workspace (itbtwin serve).", no_args_is_help=True)
app.add_typer(user_app, name="user")

Generate = Annotated[
    bool, typer.Option("--generate", help="Generate a random password and show it once.")
]
Why = Annotated[str, typer.Option("--reason", help="Why (written to the audit trail).")]
ValidFor = Annotated[
    str,
    typer.Option(
        "--valid-for", help='How long the temporary password can be used, e.g. "72 h", "3 day".'
    ),
]
SecondFactor = Annotated[
    str,
    typer.Option(
        help="Roles that sign in with an authenticator app's code, as `itbtwin serve "
        "--second-factor` names them (comma-separated, or none)."
    ),
]
EVERY_ROLE = ",".join(store.MFA_ROLES)
"""The default of --second-factor, as `itbtwin serve`'s: every role (ASVS 5.0 6.3.2)."""
VALID_FOR_H = (1.0, 30 * 24.0)
"""Bounds of --valid-for (h): long enough to hand the password over, short enough to matter."""


def _password(generate: bool) -> str:
    if generate:
        return store.new_password()
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


def _valid_for(text: str) -> timedelta:
    hours = parse_duration_h(text)
    low, high = VALID_FOR_H
    if not low <= hours <= high:
        raise RecordError(f"--valid-for {text!r}: expected 1 h to 30 days")
    return timedelta(hours=hours)


def _utc(moment: datetime | str) -> str:
    """A UTC moment (stored without its zone, or ISO 8601) as people read it."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return format_datetime(moment.replace(tzinfo=UTC), zone=True)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.replace(tzinfo=UTC).isoformat()


def _show_temporary(user: store.ClinicUser, password: str | None) -> None:
    if password is not None:
        console.print(f"password (shown once): {password}", highlight=False)
    until = user.password_temporary_until
    console.print(
        f"it is temporary: at their first sign-in, before {_utc(until) if until else '-'}, "
        f"{user.username} chooses their own password and adds the workspace to an "
        "authenticator app (unless the workspace exempts their role from the second factor)",
        highlight=False,
        soft_wrap=True,
    )


@user_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="User name (no spaces).")],
    role: Annotated[str, typer.Option(help="physician, nurse or researcher.")],
    generate: Generate = False,
    valid_for: ValidFor = "72 h",
    database: Database = None,
    by: By = None,
) -> None:
    """Add a user with a temporary password (15 characters or more: it is used alone at the
    first sign-in); they set their own and a second factor at first sign-in."""
    lifetime = _valid_for(valid_for)
    from itbtwin.store._accounts import check_user

    check_user(username, role)  # before the password is typed, not after
    password = _password(generate)
    with records(database) as session:
        user = store.add_user(
            session,
            actor(by),
            username,
            role,
            password,
            valid_for=lifetime,
        )
        console.print(f"user {user.username} ({user.role}) added", highlight=False)
        _show_temporary(user, password if generate else None)


@user_app.command("list")
def list_(
    second_factor: SecondFactor = EVERY_ROLE,
    database: Database = None,
    json: Json = False,
) -> None:
    """Every user: name, role, second factor ("not required" for a role without one), whether
    the password is temporary, disabled."""
    mfa_roles = store.second_factor_roles(second_factor)
    with records(database) as session:
        rows = [
            {
                "username": u.username,
                "role": u.role,
                "second_factor_required": u.role in mfa_roles,
                "totp": u.totp_secret is not None,
                "temporary_password_until": _iso(u.password_temporary_until),
                "disabled": u.disabled,
            }
            for u in store.list_users(session)
        ]
    if json:
        print_json({"users": rows})
        return
    print_table(
        "Users of the web workspace",
        ["user", "role", "second factor", "password", "disabled"],
        [
            [
                r["username"],
                r["role"],
                _second_factor(r),
                f"temporary until {_utc(until)}"
                if (until := r["temporary_password_until"])
                else "own",
                "yes" if r["disabled"] else "no",
            ]
            for r in rows
        ],
    )


def _second_factor(row: dict) -> str:
    """The second factor as the user list shows it: enrolled, to enrol, or not required."""
    if not row["second_factor_required"]:
        return "not required"
    return "TOTP" if row["totp"] else "at next sign-in"


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
    valid_for: ValidFor = "72 h",
    reason: Why = "",
    database: Database = None,
    by: By = None,
) -> None:
    """Set a new temporary password and re-enable the user; every session of theirs ends, and
    at their next sign-in they choose their own password and enrol their authenticator app
    again (a lost phone is reset so). The temporary password has 15 characters or more."""
    lifetime = _valid_for(valid_for)
    password = _password(generate)
    with records(database) as session:
        user = store.reset_password(
            session,
            actor(by),
            username,
            password,
            reason,
            valid_for=lifetime,
        )
        console.print(f"password of {username} reset", highlight=False)
        _show_temporary(user, password if generate else None)


@user_app.command("end-sessions")
def end_sessions(
    username: Annotated[str | None, typer.Argument(help="User name.")] = None,
    every_user: Annotated[
        bool, typer.Option("--all", help="Sign every user out (instead of one).")
    ] = False,
    reason: Why = "",
    database: Database = None,
    by: By = None,
) -> None:
    """Sign a user (or, with --all, everyone) out everywhere: their open sessions end now
    (audited)."""
    if (username is None) == (not every_user):
        raise RecordError("name one user, or give --all (not both)")
    with records(database) as session:
        if username is None:
            ended = store.end_every_session(session, actor(by), reason)
        else:
            ended = store.end_user_sessions(session, actor(by), username, reason)
    who = username or "every user"
    console.print(f"{who}: {format_count(ended, 'open session')} ended", highlight=False)
