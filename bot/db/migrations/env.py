"""Alembic's environment: runs migrations on the connection it is given.

Only `bot.db.migrate` runs migrations. It opens the connection, inside one
transaction, and passes it in `config.attributes["connection"]`; so no
database URL or password is ever written into a configuration file.
"""

from __future__ import annotations

from alembic import context

from bot.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Run migrations through bot.db.migrate (for example "
        "`python -m bot.ops.cli load-content`), which supplies the connection."
    )
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot alter most of a table in place; batch mode copies the
    # table instead, so one migration works on both databases.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
