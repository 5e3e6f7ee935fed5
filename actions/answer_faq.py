"""`action_answer_faq`: answers the FAQ topic the question was classified as."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sending import send_reply, send_vetted_answer
from bot.answers.lookup import AnswerLookup
from bot.replies import clarify_reply
from bot.topics import topic_for_intent


class ActionAnswerFaq(Action):
    """Sends the vetted answer, its sources and the disclaimer."""

    def __init__(self, lookup: AnswerLookup | None = None) -> None:
        self._lookup = lookup

    def name(self) -> str:
        """Name used in the domain and stories."""
        return "action_answer_faq"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Answers the topic of the latest intent, or asks to rephrase."""
        topic = topic_for_intent(tracker.get_intent_of_latest_message())
        if topic is None:
            send_reply(dispatcher, clarify_reply([]))
            return []
        return await send_vetted_answer(dispatcher, tracker, topic, self._lookup)
