"""The bot's database: every table, declared once.

- `tables`: one SQLAlchemy `MetaData` with every table the bot reads or
  writes, Rasa's `events` included.
"""
