"""`action_answer_follow_up`: answers "how long?" or "and then?" in context."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sending import LAST_TOPIC_SLOT, send_reply, send_vetted_answer
from bot.answers.followups import resolve_follow_up
from bot.answers.lookup import AnswerLookup
from bot.replies import clarify_reply


class ActionAnswerFollowUp(Action):
    """Resolves a follow-up against the previous answer's topic."""

    def __init__(self, lookup: AnswerLookup | None = None) -> None:
        self._lookup = lookup

    def name(self) -> str:
        """Name used in the domain and stories."""
        return "action_answer_follow_up"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Answers the topic the follow-up points to, or offers choices."""
        topic = resolve_follow_up(
            tracker.get_intent_of_latest_message() or "",
            tracker.get_slot(LAST_TOPIC_SLOT),
        )
        if topic is None:
            send_reply(dispatcher, clarify_reply([]))
            return []
        return await send_vetted_answer(dispatcher, tracker, topic, self._lookup)
