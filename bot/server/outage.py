"""Keeps conversations going while the tracker database is unreachable.

`OutageTolerantStore` goes first in a SQL tracker store's bases. When the
database cannot be reached, the conversation is kept in this server's memory
and the person keeps getting answers (the action server answers from the
content file meanwhile). The outage is logged once when it starts and once
when it ends, instead of Rasa's error for every message. When the database
is back, the first read or write that works also writes every conversation
kept in memory: the SQL store adds whatever events the database lacks.

Errors are logged by type and driver message only: SQLAlchemy's own message
includes the statement's parameters, which are what people typed.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from itertools import islice
from typing import Any

from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError

logger = logging.getLogger(__name__)

# Conversations this server saved last, kept (by reference, which costs
# nothing per message) so that one under way when the database goes away
# continues from where it was instead of starting over.
RECENT_CONVERSATIONS = 1000


def describe(error: DBAPIError) -> str:
    """The error's type and the driver's first line, never the parameters."""
    detail = str(error.orig).strip().splitlines()[0] if error.orig else ""
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


class OutageTolerantStore:
    """Mixin for `SQLTrackerStore`: answers from memory during a database outage.

    Used from the Rasa server's event loop only, so its state needs no lock.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Connects as the tracker store does.

        Args:
            *args: Passed on to the tracker store.
            **kwargs: Passed on to the tracker store.

        """
        super().__init__(*args, **kwargs)
        self._recent: OrderedDict[str, DialogueStateTracker] = OrderedDict()
        # Sender ids whose latest events the database has not got yet.
        self._unsaved: set[str] = set()
        self._database_down = False

    @property
    def unsaved_conversations(self) -> int:
        """How many conversations are waiting in memory for the database."""
        return len(self._unsaved)

    def _from_memory(self, sender_id: str) -> DialogueStateTracker | None:
        tracker = self._recent.get(sender_id)
        if tracker is None:
            return None
        # A fresh copy each time, as a database read would give.
        events = [event.as_dict() for event in tracker.events]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _remember(self, tracker: DialogueStateTracker, saved: bool) -> None:
        self._recent[tracker.sender_id] = tracker
        self._recent.move_to_end(tracker.sender_id)
        if saved:
            self._unsaved.discard(tracker.sender_id)
        else:
            self._unsaved.add(tracker.sender_id)
        # Forget the oldest saved ones; unsaved ones wait for the database.
        excess = len(self._recent) - RECENT_CONVERSATIONS
        if excess > 0:
            oldest_saved = (s for s in self._recent if s not in self._unsaved)
            for sender_id in list(islice(oldest_saved, excess)):
                del self._recent[sender_id]

    def _note_outage(self, error: DBAPIError) -> None:
        if self._database_down:
            return
        self._database_down = True
        logger.error(
            "The conversation database is unreachable (%s). Conversations "
            "are kept in memory and stored when it is back; answers go on. "
            "This is logged once, not for every message.",
            describe(error),
        )

    async def _database_answered(self, written: int = 0) -> None:
        """After a successful read or write: end an outage, write what waited.

        Args:
            written: Conversations from memory that this success already wrote.

        """
        if not self._database_down:
            return
        self._database_down = False
        waiting = [self._recent[sender_id] for sender_id in list(self._unsaved)]
        for tracker in waiting:
            try:
                await super().save(tracker)
            except DBAPIError as error:
                self._note_outage(error)
                return
            self._remember(tracker, saved=True)
        logger.warning(
            "The conversation database is reachable again; storing resumed. "
            "Conversations written from memory: %d.",
            written + len(waiting),
        )

    async def _read(
        self,
        sender_id: str,
        read: Callable[[str], Awaitable[DialogueStateTracker | None]],
    ) -> DialogueStateTracker | None:
        # Memory first when it is newer than the database.
        if sender_id in self._unsaved:
            return self._from_memory(sender_id)
        try:
            tracker = await read(sender_id)
        except DBAPIError as error:
            self._note_outage(error)
            return self._from_memory(sender_id)
        await self._database_answered()
        return tracker

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's latest session: from memory if it is newer there."""
        return await self._read(sender_id, super().retrieve)

    async def retrieve_full_tracker(
        self, conversation_id: str
    ) -> DialogueStateTracker | None:
        """All sessions of a conversation: from memory if it is newer there."""
        return await self._read(conversation_id, super().retrieve_full_tracker)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the conversation, or keeps it in memory while the database is down.

        Args:
            tracker: The conversation, with its new events at the end.

        """
        try:
            await super().save(tracker)
        except DBAPIError as error:
            self._note_outage(error)
            self._remember(tracker, saved=False)
            return
        was_waiting = tracker.sender_id in self._unsaved
        self._remember(tracker, saved=True)
        await self._database_answered(written=int(was_waiting))
