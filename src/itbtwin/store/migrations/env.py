"""Alembic environment: runs on the connection `itbtwin.store.upgrade` hands over."""

from alembic import context

from itbtwin.store._schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
