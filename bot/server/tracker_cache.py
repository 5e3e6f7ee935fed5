"""Keeps recent conversations in memory so a long one costs what a short one does.

Rasa's SQL tracker store reads every event of the conversation's session
from the database and replays it for each message: at turn 50 that was
most of the message's cost (issue 15's profile). `StoredTrackerCache` keeps
the tracker it saved last for each recent conversation, and before reusing
it asks the database one cheap question: the highest event id and the
number of events stored for that conversation. If both are as they were
after this server's last save, nobody else has written or deleted anything
(another Rasa server, `erase-sender`, retention), and the tracker in memory
is what a full read would rebuild. Otherwise it reads and replays as Rasa
does.

After a save, the user messages just stored are swapped in the kept
tracker for their stored, redacted form, so the next turn sees exactly what
a database read would give: original text lives only for the turn that
understood it, as before.

Used from the Rasa server's event loop only, under Rasa's per-conversation
lock, so its state needs no lock of its own.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from itertools import islice
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.events import Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.outage import RECENT_CONVERSATIONS


@dataclass(frozen=True)
class StoredMark:
    """What the database holds for a conversation: its last event id and count."""

    last_event_id: int | None
    event_count: int


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    mark: StoredMark
    # The tracker's length when kept, all of it stored: a turn that failed
    # before its save leaves events the database lacks, and such a tracker
    # is not reused. The events past it are a turn's new ones.
    length: int


class StoredTrackerCache:
    """Mixin for `SQLTrackerStore`: reuses its last saved tracker while current."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Connects as the tracker store does.

        Args:
            *args: Passed on to the tracker store.
            **kwargs: Passed on to the tracker store.

        """
        super().__init__(*args, **kwargs)
        self._kept: OrderedDict[str, _Kept] = OrderedDict()

    def stored_mark(self, session: Any, sender_id: str) -> StoredMark:
        """The conversation's last stored event id and event count (all sessions)."""
        last_event_id, event_count = session.execute(
            sa.select(
                sa.func.max(self.SQLEvent.id), sa.func.count(self.SQLEvent.id)
            ).where(self.SQLEvent.sender_id == sender_id)
        ).one()
        return StoredMark(last_event_id, event_count)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, True)
        # The mark is read before the events: if someone writes in between,
        # the kept mark is older than the tracker and the next turn reads again.
        with self.session_scope() as session:
            mark = self.stored_mark(session, sender_id)
        kept = self._kept.get(sender_id)
        if (
            kept is not None
            and kept.mark == mark
            and len(kept.tracker.events) == kept.length
        ):
            self._kept.move_to_end(sender_id)
            return kept.tracker
        self._kept.pop(sender_id, None)
        tracker = await super()._retrieve(sender_id, False)
        if tracker is not None:
            self._keep(tracker, mark)
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker):
        # Rasa counts the session's stored events on every save; for a kept
        # tracker that number is its length when kept.
        kept = self._kept.get(tracker.sender_id)
        if kept is not None and kept.tracker is tracker:
            return islice(tracker.events, kept.length, None)
        return super()._additional_events(session, tracker)

    def tracker_saved(
        self,
        session: Any,
        tracker: DialogueStateTracker,
        stored: list[dict],
        event_ids: list[int],
    ) -> None:
        """After a save: the new events take their stored form; the tracker is kept.

        Args:
            session: The session that has just committed the events.
            tracker: The conversation, its new events at the end.
            stored: The new events as stored (user text redacted), in order.
            event_ids: Their row ids, in the same order.

        """
        kept = self._kept.pop(tracker.sender_id, None)
        first = len(tracker.events) - len(stored)
        new_events = list(islice(tracker.events, first, None))
        for offset, (event, data) in enumerate(zip(new_events, stored, strict=True)):
            if isinstance(event, UserUttered):
                redacted = Event.from_parameters(data)
                tracker.events[first + offset] = redacted
                if tracker.latest_message is event:
                    tracker.latest_message = redacted
        if any(isinstance(event, SessionStarted) for event in new_events):
            # A new session: a database read holds it from its
            # `session_started` on, and Rasa counts what is new from there.
            _drop_before_session_start(tracker)
            mark = self.stored_mark(session, tracker.sender_id)
        elif kept is not None and kept.tracker is tracker:
            mark = StoredMark(
                max(event_ids, default=kept.mark.last_event_id),
                kept.mark.event_count + len(event_ids),
            )
        else:
            mark = self.stored_mark(session, tracker.sender_id)
        self._keep(tracker, mark)

    def _keep(self, tracker: DialogueStateTracker, mark: StoredMark) -> None:
        self._kept[tracker.sender_id] = _Kept(tracker, mark, len(tracker.events))
        self._kept.move_to_end(tracker.sender_id)
        # As many conversations as the outage memory keeps.
        while len(self._kept) > RECENT_CONVERSATIONS:
            self._kept.popitem(last=False)


def _drop_before_session_start(tracker: DialogueStateTracker) -> None:
    """Removes the events before the latest `session_started`, as a database read does.

    `session_started` resets the tracker's state, so what came before it
    (the previous session, and the `action_session_start` that led to it)
    changes nothing that follows.
    """
    events = tracker.events
    last = max(i for i, event in enumerate(events) if isinstance(event, SessionStarted))
    for _ in range(last):
        events.popleft()
