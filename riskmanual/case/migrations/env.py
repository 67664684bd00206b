"""Alembic's environment for the case store: the connection comes from the caller (Store.open)."""

from __future__ import annotations

from alembic import context

from riskmanual.case.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
