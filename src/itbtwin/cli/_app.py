"""The Typer application every command module registers on, and the error boundary."""

from __future__ import annotations

import errno
import os
import sys
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from itbtwin.cli._lazy import LazyGroup
from itbtwin.cli._option_coercion import install as coerce_options_when_needed
from itbtwin.errors import ItbError

coerce_options_when_needed()

app = typer.Typer(
    name="itbtwin",
    cls=LazyGroup,
    help="Digital twin and decision support for intrathecal baclofen (ITB) therapy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

EXIT_INPUT_ERROR = 2
"""Exit status for input the user can fix (a unit error, an impossible parameter...)."""


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # ~50 ms: only when asked (issue 13)

        console.print(f"itbtwin {version('itbtwin')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Digital twin and decision support for intrathecal baclofen (ITB) therapy."""


def one_line(text: str) -> str:
    """`text` with newlines and terminal control codes written out (``\\n``, ``\\x1b``), so a
    message quoting what a user typed stays one line and cannot drive the terminal."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _refuse(message: str) -> NoReturn:
    err_console.print(
        f"[bold red]error:[/] {escape(one_line(message))}", highlight=False, soft_wrap=True
    )
    sys.exit(EXIT_INPUT_ERROR)


def _usage_error(err: typer.TyperException) -> NoReturn:
    """Click's usage error as one line naming the option, not Rich's boxed panel (issue 17)."""
    message = err.format_message()  # type: ignore[attr-defined]
    if not message.strip():  # no arguments at all: the help page was printed instead
        sys.exit(err.exit_code)  # type: ignore[attr-defined]
    ctx = getattr(err, "ctx", None)
    _refuse(f"{message} (see '{ctx.command_path} --help')" if ctx is not None else message)


def main() -> None:
    """Run the CLI; an `ItbError` becomes a one-line message and exit status 2, not a traceback.

    So does a path the operating system refuses for its length alone (ENAMETOOLONG): commands
    take paths everywhere (scenarios, databases, exports, reports) and even asking whether such a
    path exists raises; a 300-character name gave a traceback in nine commands (issue 17)."""
    try:
        status = app(prog_name="itbtwin", standalone_mode=False)  # usage errors: one line below
    except ItbError as err:
        _refuse(str(err))
    except typer.TyperException as err:  # click's errors (typer vendors click): '2d' for --hours
        _usage_error(err)
    except typer.Abort:  # end of input at a prompt: nothing was recorded
        err_console.print("aborted: nothing was changed", highlight=False)
        sys.exit(1)
    except OSError as err:
        if err.errno != errno.ENAMETOOLONG:
            raise
        name = os.fsdecode(err.filename or "")
        shown = name if len(name) <= 60 else name[:60] + "…"
        _refuse(
            f"the path {shown!r} is too long for this system (a name in it is longer than the "
            "file system allows, usually 255 bytes): give a shorter one"
        )
    if isinstance(status, int):  # typer.Exit(code) returns its code when not standalone
        sys.exit(status)
