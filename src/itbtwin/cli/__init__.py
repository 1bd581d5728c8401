"""The command line face: `itbtwin COMMAND`. Each module registers its commands on `app`."""

from itbtwin.cli import _pk as _pk
from itbtwin.cli import _validate as _validate
from itbtwin.cli._app import app as app
from itbtwin.cli._app import main as main
