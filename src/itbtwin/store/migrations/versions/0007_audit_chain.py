"""The audit trail's chain: each entry's digest covers the one before (issue 17 point 5).

`audit_chain` holds one row per audit entry, `digest` = SHA-256 of the previous entry's digest
and this entry's contents (`store._audit_chain.digest`). A removed or edited audit entry breaks
every digest after it, so `itbtwin db check` finds it. Existing entries are chained here, in
order; the chain is append-only like the trail.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from itbtwin.store._audit_chain import digest

revision = "0007"
down_revision = "0006"

MESSAGE = "the audit chain is append-only"


def upgrade() -> None:
    chain = op.create_table(
        "audit_chain",
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audit.id"), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
    )
    audit = sa.table(
        "audit",
        sa.column("id", sa.Integer()),
        sa.column("at", sa.DateTime()),
        *(sa.column(n, sa.String()) for n in ("actor", "action", "entity", "why")),
        sa.column("entity_id", sa.Integer()),
        sa.column("what", sa.JSON()),
    )
    previous = ""
    rows = []
    for row in op.get_bind().execute(sa.select(audit).order_by(audit.c.id)).mappings():
        previous = digest(previous, dict(row))
        rows.append({"audit_id": row["id"], "digest": previous})
    if rows:
        op.bulk_insert(chain, rows)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_chain_no_{verb.lower()} BEFORE {verb} ON audit_chain "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_chain_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain "
            "FOR EACH ROW EXECUTE FUNCTION audit_chain_append_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER audit_chain_append_only ON audit_chain")
        op.execute("DROP FUNCTION audit_chain_append_only()")
    op.drop_table("audit_chain")
