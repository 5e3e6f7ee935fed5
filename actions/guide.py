"""Actions that guide people to the topics: list, clarify, out of scope."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sending import LAST_TOPIC_SLOT, send_reply, send_vetted_answer
from bot.answers.followups import FOLLOW_UP_INTENTS, resolve_follow_up
from bot.answers.lookup import AnswerLookup
from bot.replies import Reply, capabilities_reply, clarify_reply, out_of_scope_reply
from bot.topics import FALLBACK_INTENT, topic_for_intent


class _GuideAction(Action, ABC):
    """An action that sends one reply built from the tracker (not registered)."""

    action_name = ""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return self.action_name

    @abstractmethod
    def reply(self, tracker: Tracker) -> Reply:
        """The reply to send."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Sends the reply; sets no slots."""
        send_reply(dispatcher, self.reply(tracker))
        return []


class ActionListTopics(_GuideAction):
    """Answers "what can you do?" with every topic."""

    action_name = "action_list_topics"

    def reply(self, tracker: Tracker) -> Reply:
        """The list of topics."""
        return capabilities_reply()


class ActionExplainScope(_GuideAction):
    """Declines an out-of-scope question and says what the bot covers."""

    action_name = "action_explain_scope"

    def reply(self, tracker: Tracker) -> Reply:
        """The scope message with starter topics."""
        return out_of_scope_reply()


class ActionClarifyTopic(_GuideAction):
    """On low confidence, asks to rephrase and offers the likeliest topics.

    A short question right after an answer ("how long does it take?") can
    sound like an FAQ topic and a follow-up at once. When a follow-up is
    among the classifier's two likeliest readings and there was a previous
    answer, the previous answer settles it: the follow-up is answered.
    """

    action_name = "action_clarify_topic"

    def __init__(self, lookup: AnswerLookup | None = None) -> None:
        self._lookup = lookup

    def reply(self, tracker: Tracker) -> Reply:
        """Up to three FAQ topics from the classifier's ranking."""
        ranking = tracker.latest_message.get("intent_ranking") or []
        candidates = [
            topic
            for topic in (topic_for_intent(entry.get("name")) for entry in ranking)
            if topic is not None
        ]
        return clarify_reply(candidates)

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Answers a follow-up that the context settles, else asks to rephrase."""
        topic = follow_up_in_context(
            tracker.latest_message.get("intent_ranking") or [],
            tracker.get_slot(LAST_TOPIC_SLOT),
        )
        if topic is None:
            return await super().run(dispatcher, tracker, domain)
        return await send_vetted_answer(dispatcher, tracker, topic, self._lookup)


def follow_up_in_context(
    ranking: list[dict[str, Any]], previous_topic: str | None
) -> str | None:
    """The topic of a follow-up among the two likeliest readings, if any.

    Args:
        ranking: The classifier's intent ranking, likeliest first.
        previous_topic: The topic of the last answer given, if any.

    """
    if previous_topic is None:
        return None
    readings = [e.get("name") for e in ranking if e.get("name") != FALLBACK_INTENT]
    for intent in readings[:2]:
        if intent in FOLLOW_UP_INTENTS:
            return resolve_follow_up(intent, previous_topic)
    return None
