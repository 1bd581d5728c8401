"""Records corrected the way clinics do, and recorded facts the twin replays (issue 12).

- `correction`: an amendment or a voiding of a refill, assessment, event or program version.
  The original row stays; an amendment's corrected values are a new row of the same table
  (`replacement_id`), a voiding has none. One correction per original row.
- `program_version.bridge_*`: the bridge bolus of a concentration change as data (the old
  concentration, the drug path's volume and how long the old solution takes to clear it).
- `patient.discharged_at`: a discharged patient is kept, marked, and left out of the schedule.
- `event.fraction`: the share of the flow a catheter fault affects, when it was measured.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"

BRIDGE = ("bridge_from_mcg_per_ml", "bridge_volume_ml", "bridge_duration_h")


def upgrade() -> None:
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entity", sa.String(200), nullable=False),
        sa.Column("original_id", sa.Integer(), nullable=False),
        sa.Column("replacement_id", sa.Integer()),
        sa.Column("kind", sa.String(200), nullable=False),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.Column("corrected_by", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(2000), nullable=False),
        sa.UniqueConstraint("entity", "original_id", name="uq_correction_entity"),
    )
    for name in BRIDGE:
        op.add_column("program_version", sa.Column(name, sa.Double()))
    op.add_column("patient", sa.Column("discharged_at", sa.DateTime()))
    op.add_column("event", sa.Column("fraction", sa.Double()))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("fraction")
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("discharged_at")
    with op.batch_alter_table("program_version") as batch:
        for name in BRIDGE:
            batch.drop_column(name)
    op.drop_table("correction")
