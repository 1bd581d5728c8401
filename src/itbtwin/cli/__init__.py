"""The command line face: `itbtwin COMMAND`. Each module registers its commands on `app`."""

from itbtwin.cli import _assess as _assess
from itbtwin.cli import _audit as _audit
from itbtwin.cli import _check_program as _check_program
from itbtwin.cli import _clinic as _clinic
from itbtwin.cli import _db as _db
from itbtwin.cli import _demo as _demo
from itbtwin.cli import _exchange as _exchange
from itbtwin.cli import _forecast as _forecast
from itbtwin.cli import _patient as _patient
from itbtwin.cli import _pk as _pk
from itbtwin.cli import _population as _population
from itbtwin.cli import _program as _program
from itbtwin.cli import _pump as _pump
from itbtwin.cli import _refill as _refill
from itbtwin.cli import _refill_record as _refill_record
from itbtwin.cli import _report as _report
from itbtwin.cli import _report_records as _report_records
from itbtwin.cli import _risk as _risk
from itbtwin.cli import _schedule as _schedule
from itbtwin.cli import _screen as _screen
from itbtwin.cli import _simulate as _simulate
from itbtwin.cli import _titrate as _titrate
from itbtwin.cli import _trial as _trial
from itbtwin.cli import _validate as _validate
from itbtwin.cli._app import app as app
from itbtwin.cli._app import main as main
