"""Clinic records: patients, implanted systems, revisions, programs, refills, assessments,
events and the audit trail.

Constraint names come from the naming convention of `itbtwin.store._schema.Base`, which Alembic
applies here, so they are the same on SQLite and PostgreSQL.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

TEXT = sa.String(200)
LONG = sa.String(2000)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _ref(table: str) -> sa.Column:
    return sa.Column(
        f"{table}_id", sa.Integer(), sa.ForeignKey(f"{table}.id"), nullable=False, index=True
    )


def upgrade() -> None:
    op.create_table(
        "patient",
        _id(),
        sa.Column("identifier", TEXT, nullable=False, unique=True),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("weight_kg", sa.Double(), nullable=False),
        sa.Column("origin", TEXT, nullable=False),
        sa.Column("diagnosis", TEXT, nullable=False),
        sa.Column("injury_level", TEXT),
        sa.Column("communication_difficulty", sa.Boolean(), nullable=False),
        sa.Column("prior_withdrawal", sa.Boolean(), nullable=False),
        sa.Column("missed_visits", sa.Integer(), nullable=False),
    )
    op.create_table(
        "pump",
        _id(),
        _ref("patient"),
        sa.Column("device", TEXT, nullable=False),
        sa.Column("serial", TEXT, nullable=False, unique=True),
        sa.Column("implanted_at", sa.DateTime(), nullable=False),
        sa.Column("time_zone", TEXT, nullable=False),
        sa.Column("catheter_model", TEXT, nullable=False),
        sa.Column("catheter_length_cm", sa.Double(), nullable=False),
        sa.Column("tip_level", TEXT),
        sa.Column("explanted_at", sa.DateTime()),
    )
    op.create_table(
        "revision",
        _id(),
        _ref("pump"),
        sa.Column("revised_at", sa.DateTime(), nullable=False),
        sa.Column("catheter_model", TEXT, nullable=False),
        sa.Column("catheter_length_cm", sa.Double(), nullable=False),
        sa.Column("tip_level", TEXT),
        sa.Column("reason", TEXT, nullable=False),
    )
    op.create_table(
        "program_version",
        _id(),
        _ref("pump"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_at", sa.DateTime(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("mean_daily_dose_mcg", sa.Double(), nullable=False),
        sa.Column("concentration_mcg_per_ml", sa.Double(), nullable=False),
        sa.Column("verdict", TEXT, nullable=False),
        sa.Column("override_reason", sa.String(1000)),
        sa.Column("entered_by", TEXT, nullable=False),
        sa.UniqueConstraint("pump_id", "version"),
    )
    op.create_table(
        "refill",
        _id(),
        _ref("pump"),
        sa.Column("performed_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_ml", sa.Double(), nullable=False),
        sa.Column("expected_ml", sa.Double(), nullable=False),
        sa.Column("injected_ml", sa.Double(), nullable=False),
        sa.Column("measured_ml", sa.Double()),
        sa.Column("product", TEXT, nullable=False),
        sa.Column("concentration_mcg_per_ml", sa.Double(), nullable=False),
        sa.Column("lot", TEXT, nullable=False),
        sa.Column("discrepancy_ml", sa.Double(), nullable=False),
        sa.Column("error_pct", sa.Double()),
        sa.Column("pocket_discrepancy_ml", sa.Double()),
        sa.Column("pocket_fill_flag", sa.Boolean(), nullable=False),
        sa.Column("performed_by", TEXT, nullable=False),
    )
    op.create_table(
        "assessment",
        _id(),
        _ref("patient"),
        sa.Column("assessed_at", sa.DateTime(), nullable=False),
        sa.Column("mas", sa.JSON(), nullable=False),
        sa.Column("penn_frequency", sa.Integer()),
        sa.Column("penn_severity", sa.Integer()),
        sa.Column("adverse_effects", LONG, nullable=False),
        sa.Column("assessed_by", TEXT, nullable=False),
    )
    op.create_table(
        "event",
        _id(),
        _ref("pump"),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("kind", TEXT, nullable=False),
        sa.Column("detail", LONG, nullable=False),
    )
    op.create_table(
        "audit",
        _id(),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", TEXT, nullable=False),
        sa.Column("action", TEXT, nullable=False),
        sa.Column("entity", TEXT, nullable=False),
        sa.Column("entity_id", sa.Integer()),
        sa.Column("what", sa.JSON(), nullable=False),
        sa.Column("why", LONG, nullable=False),
    )


def downgrade() -> None:
    for name in ("audit", "event", "assessment", "refill", "program_version", "revision", "pump"):
        op.drop_table(name)
    op.drop_table("patient")
