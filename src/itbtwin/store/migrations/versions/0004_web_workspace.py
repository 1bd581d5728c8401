"""The web workspace: clinic users, their server-side sessions, the login throttle, program
changes waiting for a second person's confirmation, and queued virtual-trial runs.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"

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
        "clinic_user",
        _id(),
        sa.Column("username", TEXT, nullable=False, unique=True),
        sa.Column("role", TEXT, nullable=False),
        sa.Column("password_hash", TEXT, nullable=False),
        sa.Column("totp_secret", sa.String(64)),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "web_session",
        _id(),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _ref("clinic_user"),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime()),
    )
    op.create_table(
        "login_attempt",
        _id(),
        sa.Column("username", TEXT, nullable=False, index=True),
        sa.Column("at", sa.DateTime(), nullable=False, index=True),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "program_proposal",
        _id(),
        _ref("pump"),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("phase", TEXT, nullable=False),
        sa.Column("bridge_bolus", sa.Boolean(), nullable=False),
        sa.Column("why", LONG, nullable=False),
        sa.Column("override_reason", sa.String(1000)),
        sa.Column("verdict", TEXT, nullable=False),
        sa.Column("proposed_by", TEXT, nullable=False),
        sa.Column("proposed_by_role", TEXT, nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("state", TEXT, nullable=False, index=True),
        sa.Column("decided_by", TEXT),
        sa.Column("decided_at", sa.DateTime()),
        sa.Column("version", sa.Integer()),
        sa.Column("decision_note", LONG, nullable=False),
    )
    op.create_table(
        "trial_run",
        _id(),
        sa.Column("requested_by", TEXT, nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("state", TEXT, nullable=False),
        sa.Column("progress", sa.Double(), nullable=False),
        sa.Column("finished_at", sa.DateTime()),
        sa.Column("result", sa.JSON()),
        sa.Column("error", LONG),
    )


def downgrade() -> None:
    for table in ("trial_run", "program_proposal", "login_attempt", "web_session", "clinic_user"):
        op.drop_table(table)
