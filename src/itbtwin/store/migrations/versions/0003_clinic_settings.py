"""Clinic settings: the clinic's name, phone number and opening hours, printed on reports and
on the patient's education sheet (issue 16). One row; changes are audited like every record.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

TEXT = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "clinic_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", TEXT, nullable=False),
        sa.Column("phone", TEXT, nullable=False),
        sa.Column("hours", TEXT, nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("clinic_settings")
