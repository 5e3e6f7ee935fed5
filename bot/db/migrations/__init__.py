"""Alembic's environment (`env.py`) and revisions (`versions/`) of the bot."""
