"""Alembic environment: runs on the connection ``rasd.store`` passes in, never reads alembic.ini.

Migrations ship inside the package, so ``rasd`` installed from a wheel can create and upgrade a
database without a source checkout.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from rasd.store.models import Base


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("rasd.store passes an open connection to run migrations on")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported; pass --db URL")
run_migrations_online()
