"""The clinic's records: SQLAlchemy 2 tables, Alembic migrations and the functions that change them.

Every function that changes records takes a `Session` (one transaction: `transaction(engine)`)
and the actor, checks its input with the same clinic rules the other faces use, and writes an
audit entry beside the change. SQLite by default (WAL, foreign keys on), PostgreSQL by
``ITBTWIN_DATABASE_URL``.
"""

from itbtwin._lazy_exports import lazy_exports

# Each private module and the public names it defines, imported when first read (issue 13).
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "_accounts": (
            "add_user",
            "change_password",
            "disable_user",
            "enrol_totp",
            "find_user",
            "list_users",
            "new_password",
            "new_totp_secret",
            "pending_steps",
            "reset_password",
            "second_factor_roles",
            "totp_uri",
        ),
        "_roles": ("MFA_ROLES", "ROLES"),
        "_password_policy": ("check_password", "min_password"),
        "_sign_in": ("LoginRefused", "authenticate"),
        "_user_sessions": (
            "end_every_session",
            "end_own_session",
            "end_user_sessions",
            "open_sessions",
        ),
        "_assessments": ("assess",),
        "_audit": (
            "audit_trail",
            "default_actor",
            "patient_audit",
            "pump_audit",
        ),
        "_audit_chain": (
            "ChainCheck",
            "verify_chain",
        ),
        "_bookings": (
            "book_visit",
            "booked_visits",
            "next_visits",
            "visit_before",
        ),
        "_cohort": (
            "CohortRow",
            "deidentified_cohort",
        ),
        "_clinic_settings": (
            "clinic_contact",
            "set_clinic_contact",
        ),
        "_correction_rows": ("correction_rows",),
        "_corrections": (
            "amend_assessment",
            "amend_refill",
            "discharge_patient",
            "find_assessment",
            "find_event",
            "find_refill",
            "find_version",
            "void_entry",
        ),
        "_dates_cache": (
            "PumpDatesRow",
            "cached_dates",
            "records_dates",
        ),
        "_demo_clinic": (
            "DemoClinic",
            "build_demo_clinic",
            "demo_holidays",
        ),
        "_engine": (
            "URL_VARIABLE",
            "create_private",
            "default_url",
            "open_engine",
            "sqlite_file",
            "transaction",
        ),
        "_exchange": (
            "clinic_counts",
            "export_clinic",
            "import_clinic",
        ),
        "_exchange_format": ("read_clinic",),
        "_fhir": (
            "export_fhir",
            "import_fhir",
        ),
        "_maintenance": (
            "Finding",
            "backup",
            "check_database",
            "restore",
        ),
        "_migrate": (
            "current_revision",
            "head_revision",
            "newest_revision",
            "refuse_newer",
            "require_current",
            "upgrade",
        ),
        "_overview": (
            "ClinicOverview",
            "clinic_overview",
            "implanted_pumps",
        ),
        "_patients": (
            "add_patient",
            "age_years",
            "check_patient",
            "find_patient",
            "list_patients",
            "patient_fields",
            "risk_record",
            "update_patient",
        ),
        "_program_review": (
            "ChangeReview",
            "review_change",
        ),
        "_programs": (
            "ProgramBlocked",
            "program_change",
            "set_program",
            "version_at",
        ),
        "_proposals": (
            "confirm_proposal",
            "decline_proposal",
            "find_proposal",
            "may_confirm",
            "pending_proposals",
            "propose_program",
        ),
        "_pumps": (
            "active_pump",
            "catheter_at",
            "explant",
            "find_pump",
            "implant",
            "pump_fields",
            "pump_in_service",
            "record_event",
            "revise",
        ),
        "_recorded": (
            "RecordedPump",
            "find_recorded",
            "recorded_pumps",
        ),
        "_refills": ("record_refill",),
        "_replay": (
            "RecordedFact",
            "observed_scores",
            "recorded_facts",
        ),
        "_scenario": (
            "current_scenario",
            "history_scenario",
        ),
        "_schema": (
            "Assessment",
            "AuditEntry",
            "Correction",
            "EventRecord",
            "Patient",
            "ProgramVersion",
            "Pump",
            "RefillRecord",
            "Revision",
        ),
        "_views": (
            "patient_summaries",
            "patient_summary",
            "patient_tables",
            "record_sections",
        ),
        "_web_schema": (
            "ClinicUser",
            "LoginAttempt",
            "ProgramProposal",
            "TrialRun",
            "VisitBooking",
            "WebSession",
        ),
    },
)
