"""A TOTP code is accepted once; booked visits; a refill's product expiry (issue 15, 17 pt 7).

- `clinic_user.totp_last_step`: the RFC 6238 time step (30 s counter) of the last code accepted
  for the user; a code of that step or an earlier one is refused (RFC 6238 section 5.2: "the
  verifier MUST NOT accept the second attempt of the OTP after the successful validation").
- `visit_booking`: a visit booked for a pump (clinic-local date), who booked it and when (UTC);
  the refill queue compares it with the alarm date. `cancelled_at` ends a booking.
- `refill.product_expiry`: the expiry date of the product filled, its own column (was only in
  the audit row's reason).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.add_column("clinic_user", sa.Column("totp_last_step", sa.BigInteger()))
    op.add_column("refill", sa.Column("product_expiry", sa.Date()))
    op.create_table(
        "visit_booking",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pump_id", sa.Integer(), sa.ForeignKey("pump.id"), nullable=False, index=True),
        sa.Column("visit_on", sa.Date(), nullable=False),
        sa.Column("booked_by", sa.String(200), nullable=False),
        sa.Column("booked_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime()),
    )


def downgrade() -> None:
    op.drop_table("visit_booking")
    with op.batch_alter_table("refill") as batch:
        batch.drop_column("product_expiry")
    with op.batch_alter_table("clinic_user") as batch:
        batch.drop_column("totp_last_step")
