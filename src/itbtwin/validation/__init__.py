"""`itbtwin validate`: the model against every published fact it claims to reproduce."""

from itbtwin.validation import _pk_facts as _pk_facts
from itbtwin.validation import _population_facts as _population_facts
from itbtwin.validation import _response_facts as _response_facts
from itbtwin.validation import _twin_facts as _twin_facts
from itbtwin.validation._registry import FACTS as FACTS
from itbtwin.validation._registry import Check as Check
from itbtwin.validation._registry import Fact as Fact
from itbtwin.validation._registry import register as register
from itbtwin.validation._registry import run_validation as run_validation
