"""Builds stored conversations for the tests, through the real tracker store.

A conversation is one or more Rasa sessions, each a list of turns. Events are
made as the Rasa server makes them (session start, user message with its
parse data and channel, action, bot reply, `last_topic` slot, listen) with
chosen timestamps, and saved with `DatabaseUrlTrackerStore`, so the rows are
exactly what the bot writes, into the tables of `bot.db.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.db.tables import feedback
from bot.server.tracker_store import DatabaseUrlTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
DAY = 86_400.0


@dataclass(frozen=True)
class Turn:
    """One message and what the bot did about it."""

    text: str
    intent: str
    action: str
    topic: str | None = None
    channel: str = "rest"


def session(start: float, turns: list[Turn], gap: float = 60.0) -> list[Event]:
    """The events of one session starting at `start`, a turn every `gap` s."""
    events: list[Event] = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.1),
        ActionExecuted("action_listen", timestamp=start + 0.2),
    ]
    for number, turn in enumerate(turns):
        at = start + 1 + number * gap
        intent = {"name": turn.intent, "confidence": 0.9}
        events.append(
            UserUttered(
                turn.text,
                intent=intent,
                parse_data={"intent": intent, "entities": [], "text": turn.text},
                timestamp=at,
                input_channel=turn.channel,
            )
        )
        events.append(ActionExecuted(turn.action, timestamp=at + 0.1))
        events.append(BotUttered("A reply.", timestamp=at + 0.2))
        if turn.topic:
            events.append(SlotSet("last_topic", turn.topic, timestamp=at + 0.3))
        events.append(ActionExecuted("action_listen", timestamp=at + 0.4))
    return events


async def save_conversation(
    store: DatabaseUrlTrackerStore, sender_id: str, events: list[Event]
) -> None:
    """Saves a new conversation with these events."""
    tracker = DialogueStateTracker.from_events(sender_id, events, DOMAIN.slots)
    await store.save(tracker)


def make_store(database_url: str, monkeypatch) -> DatabaseUrlTrackerStore:
    """The bot's tracker store on this database."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    return DatabaseUrlTrackerStore(domain=DOMAIN)


def add_feedback(
    engine: sa.engine.Engine, rows: list[tuple[str, str, int, bool, float]]
) -> None:
    """Adds feedback rows (sender, topic, version, helpful, Unix time).

    The table is there already: the store brought the schema to the head.
    """
    from datetime import datetime, timezone

    with engine.begin() as connection:
        connection.execute(
            sa.insert(feedback),
            [
                {
                    "sender_id": sender,
                    "topic": topic,
                    "version": version,
                    "helpful": helpful,
                    "created_at": datetime.fromtimestamp(at, tz=timezone.utc),
                }
                for sender, topic, version, helpful, at in rows
            ],
        )


def count(engine: sa.engine.Engine, table: str, sender_id: str | None = None) -> int:
    """Rows in a table, or a sender's rows."""
    query = f"SELECT count(*) FROM {table}"
    params = {}
    if sender_id is not None:
        query += " WHERE sender_id = :sender"
        params["sender"] = sender_id
    with engine.connect() as connection:
        return connection.execute(sa.text(query), params).scalar_one()
