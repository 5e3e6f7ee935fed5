"""Sends `bot.replies.Reply` objects and vetted answers through rasa-sdk."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.answers.lookup import AnswerLookup, default_answer_lookup
from bot.answers.safety_replies import needs_crisis_reminder, with_crisis_reminder
from bot.content import ContentError
from bot.replies import (
    ANSWER_PARTS_KEY,
    Reply,
    answer_unavailable_reply,
    vetted_answer_reply,
)

logger = logging.getLogger(__name__)

LAST_TOPIC_SLOT = "last_topic"


def send_reply(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Sends one reply, with its buttons and structured parts if any."""
    kwargs: dict[str, Any] = {"text": reply.text}
    if reply.buttons:
        kwargs["buttons"] = reply.buttons
    if reply.custom:
        kwargs["json_message"] = reply.custom
    if reply.parts:
        kwargs[ANSWER_PARTS_KEY] = reply.parts.to_json()
    dispatcher.utter_message(**kwargs)


async def send_vetted_answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    topic: str,
    lookup: AnswerLookup | None = None,
) -> list[dict[str, Any]]:
    """Sends a topic's vetted answer and remembers the topic for follow-ups.

    Every answering action sends through here, so the 988 reminder after
    crisis lines is decided in one place.

    Args:
        dispatcher: Where the reply goes.
        tracker: The conversation (its slots say whether crisis lines were
            given before, which ends the answer with the 988 reminder).
        topic: The topic to answer.
        lookup: Where the answer comes from; by default the configured store.

    """
    lookup = lookup or default_answer_lookup()
    try:
        # The lookup does blocking database I/O; keep the event loop free.
        answer = await asyncio.to_thread(lookup.find, topic)
    except (KeyError, ContentError):
        logger.exception("No vetted answer could be read for topic '%s'", topic)
        send_reply(dispatcher, answer_unavailable_reply())
        return []
    reply = vetted_answer_reply(answer)
    if needs_crisis_reminder(tracker.slots):
        reply = with_crisis_reminder(reply)
    send_reply(dispatcher, reply)
    return [SlotSet(LAST_TOPIC_SLOT, topic)]
