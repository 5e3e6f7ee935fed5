"""The bot's database: every table, declared once, and its migrations.

- `tables`: one SQLAlchemy `MetaData` with every table the bot reads or
  writes, Rasa's `events` included.
- `migrate`: brings a database's schema to the newest migration (Alembic,
  driven from Python; no `alembic.ini`).
- `migrations/`: the Alembic environment and its revisions.

Changing a table needs a migration: see docs/database.md.
"""
