"""Rasa's SQL tracker store, configured from `DATABASE_URL`.

Conversations go to the same database as the answers, chosen by the one
setting the rest of the bot uses, instead of a second set of dialect, host
and password values in `endpoints.yml`.

User messages are redacted before they are stored, and fallback and
out-of-scope messages are recorded as unanswered questions
(`bot.server.privacy.tracker`). The schema is brought to the newest migration when
the store starts (`bot.db.migrate`). While the database is unreachable, conversations
wait in memory and are written when it is back (`bot.server.outage`). A
conversation's tracker is kept between its turns while the database holds
nothing newer, so turn 50 is not slower than turn 1 (`bot.server.tracker_cache`).
"""

from __future__ import annotations

from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.orm import sessionmaker

from bot.db.engine import create_db_engine
from bot.db.migrate import upgrade_to_head
from bot.server import rasa_speedups
from bot.server.outage import OutageTolerantStore
from bot.server.privacy.tracker import RedactingSQLStore
from bot.server.tracker_cache import StoredTrackerCache
from bot.settings import load_settings


class DatabaseUrlTrackerStore(
    OutageTolerantStore, StoredTrackerCache, RedactingSQLStore, SQLTrackerStore
):
    """SQL tracker store on `DATABASE_URL`: redacted text, survives outages.

    Recent conversations are reused from memory while the database holds
    nothing newer (`bot.server.tracker_cache`).
    """

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        """Connects to the configured database (Rasa passes `host` as None)."""
        # The Rasa server always builds its tracker store at start-up, so this
        # is the one place its per-process speed-ups are installed.
        rasa_speedups.install()
        database_url = load_settings().database_url
        # Makes the SQLite folder if needed, as for the answer store.
        engine = create_db_engine(database_url)
        try:
            # SQLTrackerStore uses a `host` that contains "://" as the full
            # URL. It waits for the database, then makes `events` if missing.
            super().__init__(
                domain=domain, host=database_url, event_broker=event_broker, **kwargs
            )
            # The other tables (`unanswered_questions`, which `save` writes,
            # and the widget's feedback) come from the migrations, which adopt
            # an `events` table that Rasa made first.
            upgrade_to_head(engine)
        except BaseException:
            engine.dispose()
            raise
        if engine.dialect.name == "sqlite":
            # Rasa's own engine opens a connection per session on SQLite;
            # this one keeps a pool and the write-ahead log (bot.db.engine).
            # PostgreSQL keeps Rasa's engine and its pool settings.
            self.engine.dispose()
            self.engine = engine
            self.sessionmaker = sessionmaker(bind=engine)
        else:
            engine.dispose()
