"""The clinic's records: SQLAlchemy 2 tables, Alembic migrations and the functions that change them.

Every function that changes records takes a `Session` (one transaction: `transaction(engine)`)
and the actor, checks its input with the same clinic rules the other faces use, and writes an
audit entry beside the change. SQLite by default (WAL, foreign keys on), PostgreSQL by
``ITBTWIN_DATABASE_URL``.
"""

from itbtwin.store._accounts import ROLES as ROLES
from itbtwin.store._accounts import LoginRefused as LoginRefused
from itbtwin.store._accounts import add_user as add_user
from itbtwin.store._accounts import authenticate as authenticate
from itbtwin.store._accounts import disable_user as disable_user
from itbtwin.store._accounts import find_user as find_user
from itbtwin.store._accounts import list_users as list_users
from itbtwin.store._accounts import new_password as new_password
from itbtwin.store._accounts import reset_password as reset_password
from itbtwin.store._accounts import totp_uri as totp_uri
from itbtwin.store._assessments import assess as assess
from itbtwin.store._audit import audit_trail as audit_trail
from itbtwin.store._audit import default_actor as default_actor
from itbtwin.store._audit import patient_audit as patient_audit
from itbtwin.store._audit import pump_audit as pump_audit
from itbtwin.store._clinic_settings import ClinicContact as ClinicContact
from itbtwin.store._clinic_settings import clinic_contact as clinic_contact
from itbtwin.store._clinic_settings import set_clinic_contact as set_clinic_contact
from itbtwin.store._demo_clinic import DemoClinic as DemoClinic
from itbtwin.store._demo_clinic import build_demo_clinic as build_demo_clinic
from itbtwin.store._demo_clinic import demo_holidays as demo_holidays
from itbtwin.store._engine import URL_VARIABLE as URL_VARIABLE
from itbtwin.store._engine import default_url as default_url
from itbtwin.store._engine import open_engine as open_engine
from itbtwin.store._engine import transaction as transaction
from itbtwin.store._exchange import clinic_counts as clinic_counts
from itbtwin.store._exchange import export_clinic as export_clinic
from itbtwin.store._exchange import import_clinic as import_clinic
from itbtwin.store._exchange_format import read_clinic as read_clinic
from itbtwin.store._migrate import current_revision as current_revision
from itbtwin.store._migrate import head_revision as head_revision
from itbtwin.store._migrate import require_current as require_current
from itbtwin.store._migrate import upgrade as upgrade
from itbtwin.store._overview import ClinicOverview as ClinicOverview
from itbtwin.store._overview import clinic_overview as clinic_overview
from itbtwin.store._overview import implanted_pumps as implanted_pumps
from itbtwin.store._patients import add_patient as add_patient
from itbtwin.store._patients import age_years as age_years
from itbtwin.store._patients import check_patient as check_patient
from itbtwin.store._patients import find_patient as find_patient
from itbtwin.store._patients import list_patients as list_patients
from itbtwin.store._patients import patient_fields as patient_fields
from itbtwin.store._patients import risk_record as risk_record
from itbtwin.store._patients import update_patient as update_patient
from itbtwin.store._programs import ProgramBlocked as ProgramBlocked
from itbtwin.store._programs import program_change as program_change
from itbtwin.store._programs import set_program as set_program
from itbtwin.store._programs import version_at as version_at
from itbtwin.store._proposals import confirm_proposal as confirm_proposal
from itbtwin.store._proposals import decline_proposal as decline_proposal
from itbtwin.store._proposals import find_proposal as find_proposal
from itbtwin.store._proposals import may_confirm as may_confirm
from itbtwin.store._proposals import pending_proposals as pending_proposals
from itbtwin.store._proposals import propose_program as propose_program
from itbtwin.store._pumps import active_pump as active_pump
from itbtwin.store._pumps import catheter_at as catheter_at
from itbtwin.store._pumps import find_pump as find_pump
from itbtwin.store._pumps import implant as implant
from itbtwin.store._pumps import pump_fields as pump_fields
from itbtwin.store._pumps import record_event as record_event
from itbtwin.store._pumps import revise as revise
from itbtwin.store._refills import record_refill as record_refill
from itbtwin.store._scenario import current_scenario as current_scenario
from itbtwin.store._scenario import history_scenario as history_scenario
from itbtwin.store._schema import Assessment as Assessment
from itbtwin.store._schema import AuditEntry as AuditEntry
from itbtwin.store._schema import EventRecord as EventRecord
from itbtwin.store._schema import Patient as Patient
from itbtwin.store._schema import ProgramVersion as ProgramVersion
from itbtwin.store._schema import Pump as Pump
from itbtwin.store._schema import RefillRecord as RefillRecord
from itbtwin.store._schema import Revision as Revision
from itbtwin.store._views import patient_summaries as patient_summaries
from itbtwin.store._views import patient_summary as patient_summary
from itbtwin.store._views import patient_tables as patient_tables
from itbtwin.store._web_schema import ClinicUser as ClinicUser
from itbtwin.store._web_schema import LoginAttempt as LoginAttempt
from itbtwin.store._web_schema import ProgramProposal as ProgramProposal
from itbtwin.store._web_schema import TrialRun as TrialRun
from itbtwin.store._web_schema import WebSession as WebSession
