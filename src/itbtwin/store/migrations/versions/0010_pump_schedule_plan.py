"""Each pump's schedule plan kept with its dates (issue 13 point 3).

`pump_dates.plan`: what the refill window and the slip of a late visit are before the day of
the question is known (`clinic.schedule_plan`: the deadline and what limits it, the days the
last refill day moves earlier for closed days and holidays, each alarm's local time), so the
clinic overview reads the dates and the plan and only compares them with today.
`pump_dates.plan_key`: a digest of the options the plan was made with (margin, opening days,
holidays, time zone); a plan made with other options is made again. NULL: no plan yet.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.add_column("pump_dates", sa.Column("plan_key", sa.String(64)))
    op.add_column("pump_dates", sa.Column("plan", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("pump_dates") as batch:
        batch.drop_column("plan")
        batch.drop_column("plan_key")
