"""Populations at scale: the fast exact kernel, streaming virtual trials, Dask, benchmarks' core.

See docs/scale.md for how the kernel works, the trial file format and the reproducibility rules.
"""

from itbtwin.errors import TrialError as TrialError
from itbtwin.scale._histogram import LogBins as LogBins
from itbtwin.scale._kernel import BACKENDS as BACKENDS
from itbtwin.scale._kernel import amounts as amounts
from itbtwin.scale._kernel import concentrations as concentrations
from itbtwin.scale._outcomes import Episodes as Episodes
from itbtwin.scale._outcomes import QuantilesOverTime as QuantilesOverTime
from itbtwin.scale._outcomes import SteadyState as SteadyState
from itbtwin.scale._outcomes import TimeInRange as TimeInRange
from itbtwin.scale._population import GENERATORS as GENERATORS
from itbtwin.scale._population import BaclofenVariability as BaclofenVariability
from itbtwin.scale._population import Cohort as Cohort
from itbtwin.scale._population import PatientGenerator as PatientGenerator
from itbtwin.scale._population import register_generator as register_generator
from itbtwin.scale._records import RecordDistribution as RecordDistribution
from itbtwin.scale._records import RecordRates as RecordRates
from itbtwin.scale._spec import Trial as Trial
from itbtwin.scale._spec import load_trial as load_trial
from itbtwin.scale._spec import parse_trial as parse_trial
from itbtwin.scale._stream import TrialResult as TrialResult
from itbtwin.scale._stream import block_rng as block_rng
from itbtwin.scale._stream import run_chunks as run_chunks
from itbtwin.scale._stream import run_local as run_local
from itbtwin.scale._summaries import OUTCOMES as OUTCOMES
from itbtwin.scale._summaries import Chunk as Chunk
from itbtwin.scale._summaries import Context as Context
from itbtwin.scale._summaries import Outcome as Outcome
from itbtwin.scale._summaries import Tally as Tally
from itbtwin.scale._summaries import register_outcome as register_outcome
from itbtwin.scale._trials_dose import VirtualPopulation as VirtualPopulation
from itbtwin.scale._trials_faults import CatheterFaults as CatheterFaults
from itbtwin.scale._trials_pump import ReservoirAlarm as ReservoirAlarm
from itbtwin.scale._withdrawal import Withdrawal as Withdrawal
