"""A wrong concentration's programmed value on its event (h30: the replay delivers it).

`event.programmed_mcg_per_ml`: for a recorded ``wrong_concentration`` event, the concentration
(mcg/mL) the pump was found programmed with while the reservoir held the filled one; NULL for
every other event, and for a wrong concentration whose programmed value was not recorded (the
replay then says it cannot replay it).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.add_column("event", sa.Column("programmed_mcg_per_ml", sa.Float()))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("programmed_mcg_per_ml")
