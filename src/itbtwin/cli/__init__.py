"""The command line face: `itbtwin COMMAND`.

Each module registers its commands on `app` when imported; `_lazy.COMMANDS` names the module of
every command, so only the command that runs is imported (fast start-up, issue 13).
"""

from itbtwin._lazy_exports import imports_without_gc

with imports_without_gc():  # typer and Rich: ~10^4 objects that live as long as the process
    from itbtwin.cli._app import app as app
    from itbtwin.cli._app import main as main
    from itbtwin.cli._help_types import install as _show_flags_untyped

_show_flags_untyped()
