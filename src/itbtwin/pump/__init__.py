"""The implanted infusion system: device catalogue, programs, drug path, alarms, refills, faults.

`deliver(therapy)` walks a `Therapy` (device, catheter, fills, program history, boluses, faults)
and returns a `Delivery`: exact piecewise-constant drug rates at the catheter tip, the reservoir,
the event log with alarm tones, refill reports and a mass ledger. Volumes mL, rates mL/day at the
pump and mcg/h at the tip, doses mcg, times in elapsed hours.
"""

from itbtwin.pump._actions import BOLUS_KINDS as BOLUS_KINDS
from itbtwin.pump._actions import FAULT_KINDS as FAULT_KINDS
from itbtwin.pump._actions import Bolus as Bolus
from itbtwin.pump._actions import Fault as Fault
from itbtwin.pump._actions import Fill as Fill
from itbtwin.pump._actions import Refill as Refill
from itbtwin.pump._actions import Revision as Revision
from itbtwin.pump._alarms import ALARMS as ALARMS
from itbtwin.pump._alarms import AlarmKind as AlarmKind
from itbtwin.pump._alarms import PumpEvent as PumpEvent
from itbtwin.pump._bridge import BRIDGE_SOURCE as BRIDGE_SOURCE
from itbtwin.pump._bridge import BridgePlan as BridgePlan
from itbtwin.pump._bridge import bridge_plan as bridge_plan
from itbtwin.pump._bridge import weekly_ml_per_day as weekly_ml_per_day
from itbtwin.pump._catalogue import CATHETERS as CATHETERS
from itbtwin.pump._catalogue import DEVICES as DEVICES
from itbtwin.pump._catalogue import find_catheter as find_catheter
from itbtwin.pump._catalogue import find_device as find_device
from itbtwin.pump._clock import ClockChange as ClockChange
from itbtwin.pump._clock import PumpClock as PumpClock
from itbtwin.pump._clock import zone as zone
from itbtwin.pump._delivery import Delivery as Delivery
from itbtwin.pump._delivery import Ledger as Ledger
from itbtwin.pump._delivery import RefillReport as RefillReport
from itbtwin.pump._device import DOSE_RESOLUTION_MCG_PER_DAY as DOSE_RESOLUTION_MCG_PER_DAY
from itbtwin.pump._device import CatheterSpec as CatheterSpec
from itbtwin.pump._device import DeviceSpec as DeviceSpec
from itbtwin.pump._device import Provenance as Provenance
from itbtwin.pump._device import programmable_dose as programmable_dose
from itbtwin.pump._device_toml import DEVICE_KEYS as DEVICE_KEYS
from itbtwin.pump._device_toml import device_values as device_values
from itbtwin.pump._device_toml import load_devices as load_devices
from itbtwin.pump._engine import deliver as deliver
from itbtwin.pump._forecast import days_to_low_reservoir as days_to_low_reservoir
from itbtwin.pump._forecast import ptc_refill_days as ptc_refill_days
from itbtwin.pump._forecast import refill_due_day as refill_due_day
from itbtwin.pump._path import DrugPath as DrugPath
from itbtwin.pump._program import WEEKDAYS as WEEKDAYS
from itbtwin.pump._program import ClockBolus as ClockBolus
from itbtwin.pump._program import DemandSettings as DemandSettings
from itbtwin.pump._program import Program as Program
from itbtwin.pump._program import Step as Step
from itbtwin.pump._random_faults import FAULT_RATES as FAULT_RATES
from itbtwin.pump._random_faults import draw_faults as draw_faults
from itbtwin.pump._safety import dose_change_warnings as dose_change_warnings
from itbtwin.pump._therapy import Therapy as Therapy
