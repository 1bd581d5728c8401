"""The audit trail becomes append-only: the database itself refuses UPDATE and DELETE on it.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"

MESSAGE = "the audit trail is append-only"

POSTGRESQL_UP = (
    f"""
    CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only()
    """,
)
POSTGRESQL_DOWN = (
    "DROP TRIGGER audit_append_only ON audit",
    "DROP FUNCTION audit_append_only()",
)
SQLITE_UP = tuple(
    f"""
    CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
    for verb in ("UPDATE", "DELETE")
)
SQLITE_DOWN = ("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete")


def _run(statements: dict[str, tuple[str, ...]]) -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in statements:
        raise NotImplementedError(f"no append-only audit trigger for {dialect}")
    for statement in statements[dialect]:
        op.execute(statement)


def upgrade() -> None:
    _run({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP})


def downgrade() -> None:
    _run({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN})
