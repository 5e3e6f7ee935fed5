"""`action_answer_pending_question`: after "no" to the check-in, the question asked.

The check-in ("Are you thinking about suicide…?") interrupts a message that
may also hold a question. The Rasa server kept the classifier's reading of
that question in the message's `safety` entry; this answers it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sending import send_reply, send_vetted_answer
from bot.answers.lookup import AnswerLookup
from bot.answers.safety_replies import no_question_reply
from bot.safety_routes import CHECK_IN_ROUTES
from bot.topics import topic_for_intent


def checked_in_message(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The `safety` entry of the message that the latest check-in answered.

    It holds the FAQ intent seen in that message (`question_intent`) and
    whether it was written in Spanish; empty when there was no check-in.
    """
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        parse_data = event.get("parse_data") or {}
        if (parse_data.get("intent") or {}).get("name") in CHECK_IN_ROUTES:
            return parse_data.get("safety") or {}
    return {}


class ActionAnswerPendingQuestion(Action):
    """Answers the question that came with a message the bot checked in on."""

    def __init__(self, lookup: AnswerLookup | None = None) -> None:
        self._lookup = lookup

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_answer_pending_question"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Sends the vetted answer with the 988 reminder, or asks what they want."""
        checked_in = checked_in_message(tracker.events)
        topic = topic_for_intent(checked_in.get("question_intent"))
        if topic is None:
            send_reply(dispatcher, no_question_reply(bool(checked_in.get("spanish"))))
            return []
        return await send_vetted_answer(dispatcher, tracker, topic, self._lookup)
