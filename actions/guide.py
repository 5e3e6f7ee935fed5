"""Actions that guide people to the topics: list, clarify, out of scope."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sending import send_reply
from bot.replies import capabilities_reply, clarify_reply, out_of_scope_reply
from bot.topics import topic_for_intent


class ActionListTopics(Action):
    """Answers "what can you do?" with every topic."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_list_topics"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Sends the topic list."""
        send_reply(dispatcher, capabilities_reply())
        return []


class ActionExplainScope(Action):
    """Declines an out-of-scope question and says what the bot covers."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_explain_scope"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Sends the scope message with starter topics."""
        send_reply(dispatcher, out_of_scope_reply())
        return []


class ActionClarifyTopic(Action):
    """On low confidence, asks to rephrase and offers the likeliest topics."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_clarify_topic"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Offers up to three FAQ topics from the classifier's ranking."""
        ranking = tracker.latest_message.get("intent_ranking") or []
        candidates = [
            topic
            for topic in (topic_for_intent(entry.get("name")) for entry in ranking)
            if topic is not None
        ]
        send_reply(dispatcher, clarify_reply(candidates))
        return []
