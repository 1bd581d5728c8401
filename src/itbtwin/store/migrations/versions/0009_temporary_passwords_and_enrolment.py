"""Temporary passwords and TOTP enrolment at first sign-in (issue 17 pt 7, OWASP ASVS 5.0 L2).

- `clinic_user.password_temporary_until`: a password set by an administrator (`user add`,
  `user reset-password`) is temporary: the user must choose their own at first sign-in, and it
  is refused after this time (UTC) if unused (ASVS 6.4.1). NULL: the user chose their password.
- `web_session.pending_totp_secret`: the TOTP seed shown to a user enrolling their authenticator
  app, kept on the server until they type a code from it (then it becomes the user's seed).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.add_column("clinic_user", sa.Column("password_temporary_until", sa.DateTime()))
    op.add_column("web_session", sa.Column("pending_totp_secret", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("web_session") as batch:
        batch.drop_column("pending_totp_secret")
    with op.batch_alter_table("clinic_user") as batch:
        batch.drop_column("password_temporary_until")
