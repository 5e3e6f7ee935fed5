"""Redaction for Rasa's SQL tracker store, as a mixin.

`RedactingSQLStore` goes before `SQLTrackerStore` in a tracker store's bases.
It replaces `save` so that every event is redacted before it is written to
the `events` table (and before it is sent to an event broker), and writes a
row to `unanswered_questions` for each fallback or out-of-scope message.
Rasa understands the live turn from the original text, which stays in
memory only; it parses before it saves.

This happens in the Rasa server, so unanswered questions are recorded even
when the action server is down.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.privacy.events import intent_of, redact_event, unanswered_question
from bot.server.privacy.redactor import default_redactor

logger = logging.getLogger(__name__)


class RedactingSQLStore:
    """Mixin for `SQLTrackerStore`: stores redacted events only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Connect as the tracker store does, then load the redactor.

        Args:
            *args: Passed on to the tracker store.
            **kwargs: Passed on to the tracker store.

        """
        super().__init__(*args, **kwargs)
        # Load the language model now, not during the first conversation.
        self.redactor = default_redactor()

    def stored_form(self, event: Event) -> dict[str, Any]:
        """The event as it may be stored or published: user text redacted."""
        return redact_event(event.as_dict(), self.redactor.redact)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events, redacted (as `SQLTrackerStore.save`).

        Args:
            tracker: The conversation, with its new events at the end.

        """
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored, rows = [], []
            for event in self._additional_events(session, tracker):
                data = self.stored_form(event)
                stored.append(data)
                rows.append(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent_of(data),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
                question = unanswered_question(tracker.sender_id, data)
                if question is not None:
                    session.add(question)
            session.add_all(rows)
            # Ids are given at the flush; read after the commit they would
            # cost a query each.
            session.flush()
            event_ids = [row.id for row in rows]
            session.commit()
            self.tracker_saved(session, tracker, stored, event_ids)
        logger.debug("Stored the redacted events of a conversation.")

    def tracker_saved(
        self,
        session: Any,
        tracker: DialogueStateTracker,
        stored: list[dict[str, Any]],
        event_ids: list[int],
    ) -> None:
        """Called after the new events are committed (see `StoredTrackerCache`).

        Args:
            session: The session that committed them.
            tracker: The conversation.
            stored: The new events as stored, in order.
            event_ids: Their row ids, in the same order.

        """

    async def _stream_new_events(
        self, event_broker: EventBroker, new_events: list[Event], sender_id: str
    ) -> None:
        for event in new_events:
            event_broker.publish({"sender_id": sender_id, **self.stored_form(event)})
