"""Clinical decision support: the jobs an ITB clinic does every week, as functions."""

from itbtwin.clinic._reasons import Reason as Reason
from itbtwin.clinic._reasons import Verdict as Verdict
from itbtwin.clinic._safety_check import SafetyCheck as SafetyCheck
from itbtwin.clinic._safety_check import check_program as check_program
from itbtwin.clinic._safety_rules import ProgramChange as ProgramChange
from itbtwin.clinic._screening import ScreeningBolus as ScreeningBolus
from itbtwin.clinic._screening import ScreeningDecision as ScreeningDecision
from itbtwin.clinic._screening import ScreeningStatus as ScreeningStatus
from itbtwin.clinic._screening import decide_screening as decide_screening
from itbtwin.clinic._screening import ladder as ladder
from itbtwin.clinic._settings import SETTINGS as SETTINGS
from itbtwin.clinic._settings import Setting as Setting
from itbtwin.clinic._settings import setting as setting
from itbtwin.clinic._titration import PlanStep as PlanStep
from itbtwin.clinic._titration import StartingDose as StartingDose
from itbtwin.clinic._titration import StepCheck as StepCheck
from itbtwin.clinic._titration import check_step as check_step
from itbtwin.clinic._titration import range_flags as range_flags
from itbtwin.clinic._titration import side_effect_reduction as side_effect_reduction
from itbtwin.clinic._titration import starting_dose as starting_dose
from itbtwin.clinic._titration import step_limits as step_limits
from itbtwin.clinic._titration import titration_plan as titration_plan
