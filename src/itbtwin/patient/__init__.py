"""The patient: pharmacokinetic models (intrathecal and oral) and their parameters."""

from itbtwin.patient._compact import COMPACT as COMPACT
from itbtwin.patient._compact import CompactModel as CompactModel
from itbtwin.patient._declare import describe as describe
from itbtwin.patient._parameters import BaclofenPk as BaclofenPk
