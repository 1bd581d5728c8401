"""The command line face: `itbtwin COMMAND`.

Each module registers its commands on `app` when imported; `_lazy.COMMANDS` names the module of
every command, so only the command that runs is imported (fast start-up, issue 13).
"""

from itbtwin.cli._app import app as app
from itbtwin.cli._app import main as main
