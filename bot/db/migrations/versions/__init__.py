"""The revisions, oldest first by number (Alembic reads the chain from them)."""
