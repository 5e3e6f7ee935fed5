"""The answer database: ORM models, engine set-up, loading and reading."""
