"""Each pump's computed refill dates kept with the records (issue 13 point 3).

`pump_dates`: one row per pump, the dates of its last fill (elapsed hours from the fill:
low-reservoir alarm, empty, stability, ERI, end of service), the pump-calculated reservoir
(`volume_knots`: elapsed hours and mL, linear in between), the programmed volume rates from
the fill (`program_rates`) and the pump clock that dates them (`clock`), with `depends_on`, a
digest of what they were computed from (program versions, refills, events, revisions, the pump
row, corrections, clinic settings).
A row whose digest no longer matches is recomputed; every write to a pump deletes its row.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "pump_dates",
        sa.Column("pump_id", sa.Integer(), sa.ForeignKey("pump.id"), primary_key=True),
        sa.Column("depends_on", sa.String(64), nullable=False),
        sa.Column("fill_at", sa.DateTime(), nullable=False),
        sa.Column("low_reservoir_h", sa.Double()),
        sa.Column("empty_h", sa.Double()),
        sa.Column("stability_h", sa.Double(), nullable=False),
        sa.Column("eri_h", sa.Double()),
        sa.Column("eos_h", sa.Double()),
        sa.Column("volume_knots", sa.JSON(), nullable=False),
        sa.Column("program_rates", sa.JSON(), nullable=False),
        sa.Column("clock", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pump_dates")
