"""Rasa's SQL tracker store, configured from `DATABASE_URL`.

Conversations go to the same database as the answers, chosen by the one
setting the rest of the bot uses, instead of a second set of dialect, host
and password values in `endpoints.yml`.

User messages are redacted before they are stored, and fallback and
out-of-scope messages are recorded as unanswered questions
(`bot.privacy.tracker`).
"""

from __future__ import annotations

from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from bot.privacy.tracker import RedactingSQLStore
from bot.settings import load_settings
from bot.store.database import create_db_engine


class DatabaseUrlTrackerStore(RedactingSQLStore, SQLTrackerStore):
    """SQL tracker store whose database is `DATABASE_URL`; stores redacted text."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        """Connects to the configured database (Rasa passes `host` as None)."""
        database_url = load_settings().database_url
        # Makes the SQLite folder if needed, as for the answer store.
        create_db_engine(database_url).dispose()
        # SQLTrackerStore uses a `host` that contains "://" as the full URL.
        super().__init__(
            domain=domain, host=database_url, event_broker=event_broker, **kwargs
        )
