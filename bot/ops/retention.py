"""Retention and erasure of what is stored about people.

- `purge_old` deletes conversations older than the retention period: each
  conversation session (Rasa starts a new one after a pause) whose last
  event is older than the cut-off, plus unanswered questions and answer
  feedback given before it. A session still in progress is kept whole, so a
  person's current conversation never loses its beginning.
- `erase_sender` deletes everything stored for one sender id: conversation
  events, unanswered questions and answer feedback.

Both work on the tables of `bot.db.tables` (SQLAlchemy Core, 2.0 style),
skip tables that do not exist (a database no migration has reached yet),
run in one transaction and leave other senders' rows alone. They work on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, inspect, select
from sqlalchemy.engine import Connection, Engine

from bot.db.tables import events as EVENTS
from bot.db.tables import feedback as FEEDBACK
from bot.db.tables import unanswered_questions as UNANSWERED

SECONDS_PER_DAY = 86_400
SESSION_STARTED = "session_started"
SESSION_START_ACTION = "action_session_start"
DELETE_CHUNK = 500


@dataclass(frozen=True)
class Removed:
    """How many rows were deleted from each table."""

    events: int = 0
    unanswered_questions: int = 0
    feedback: int = 0

    @property
    def total(self) -> int:
        """All rows deleted."""
        return self.events + self.unanswered_questions + self.feedback

    def __str__(self) -> str:
        return (
            f"{self.total} records removed: {self.events} conversation events, "
            f"{self.unanswered_questions} unanswered questions, "
            f"{self.feedback} feedback rows"
        )


def purge_old(engine: Engine, days: int, now: float | None = None) -> Removed:
    """Delete conversations and records older than `days` days.

    Args:
        engine: The bot's database.
        days: The retention period, in days (at least 1).
        now: The current time as a Unix timestamp; the clock when not given.

    Returns:
        How many rows were deleted.

    Raises:
        ValueError: `days` is below 1.

    """
    if days < 1:
        raise ValueError("The retention period must be at least one day.")
    cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
    cutoff_time = datetime.fromtimestamp(cutoff, tz=timezone.utc)
    tables = set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        events = 0
        if "events" in tables:
            expired = list(_expired_event_ids(connection, cutoff))
            events = _delete_ids(connection, expired)
        return Removed(
            events=events,
            unanswered_questions=_delete_where(
                connection, tables, UNANSWERED, UNANSWERED.c.asked_at < cutoff_time
            ),
            feedback=_delete_where(
                connection, tables, FEEDBACK, FEEDBACK.c.created_at < cutoff_time
            ),
        )


def erase_sender(engine: Engine, sender_id: str) -> Removed:
    """Delete everything stored for one sender id.

    Args:
        engine: The bot's database.
        sender_id: The conversation id, as the channel gave it.

    Returns:
        How many rows were deleted.

    """
    tables = set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        return Removed(
            events=_delete_where(
                connection, tables, EVENTS, EVENTS.c.sender_id == sender_id
            ),
            unanswered_questions=_delete_where(
                connection, tables, UNANSWERED, UNANSWERED.c.sender_id == sender_id
            ),
            feedback=_delete_where(
                connection, tables, FEEDBACK, FEEDBACK.c.sender_id == sender_id
            ),
        )


def expired_sessions(
    rows: Sequence[tuple[int, str | None, str | None, float | None]], cutoff: float
) -> Iterator[int]:
    """Ids of the events of sessions that ended before the cut-off.

    A session begins with Rasa's `action_session_start` action (or, without
    it, with the `session_started` event) and runs until the next one.

    Args:
        rows: One sender's events as (id, type name, action name, timestamp),
            in id order.
        cutoff: Unix time; a session whose last event is older is expired.

    Yields:
        The ids of every event of every expired session.

    """
    session: list[int] = []
    last_seen = float("-inf")
    previous = None
    for event_id, type_name, action_name, timestamp in rows:
        starts = action_name == SESSION_START_ACTION or (
            type_name == SESSION_STARTED and previous != SESSION_START_ACTION
        )
        if starts and session:
            if last_seen < cutoff:
                yield from session
            session, last_seen = [], float("-inf")
        session.append(event_id)
        if timestamp is not None:
            last_seen = max(last_seen, timestamp)
        previous = action_name if type_name == "action" else type_name
    if session and last_seen < cutoff:
        yield from session


def _expired_event_ids(connection: Connection, cutoff: float) -> Iterator[int]:
    senders = connection.execute(
        select(EVENTS.c.sender_id).where(EVENTS.c.timestamp < cutoff).distinct()
    ).scalars()
    for sender_id in list(senders):
        rows = connection.execute(
            select(
                EVENTS.c.id,
                EVENTS.c.type_name,
                EVENTS.c.action_name,
                EVENTS.c.timestamp,
            )
            .where(EVENTS.c.sender_id == sender_id)
            .order_by(EVENTS.c.id)
        ).all()
        yield from expired_sessions(rows, cutoff)


def _delete_ids(connection: Connection, ids: list[int]) -> int:
    deleted = 0
    for start in range(0, len(ids), DELETE_CHUNK):
        chunk = ids[start : start + DELETE_CHUNK]
        deleted += connection.execute(
            delete(EVENTS).where(EVENTS.c.id.in_(chunk))
        ).rowcount
    return deleted


def _delete_where(connection: Connection, tables: set[str], target, condition) -> int:
    if target.name not in tables:
        return 0
    return connection.execute(delete(target).where(condition)).rowcount
