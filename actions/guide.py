"""Actions that guide people to the topics: list, clarify, out of scope."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sending import send_reply
from bot.replies import Reply, capabilities_reply, clarify_reply, out_of_scope_reply
from bot.topics import topic_for_intent


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
    """On low confidence, asks to rephrase and offers the likeliest topics."""

    action_name = "action_clarify_topic"

    def reply(self, tracker: Tracker) -> Reply:
        """Up to three FAQ topics from the classifier's ranking."""
        ranking = tracker.latest_message.get("intent_ranking") or []
        candidates = [
            topic
            for topic in (topic_for_intent(entry.get("name")) for entry in ranking)
            if topic is not None
        ]
        return clarify_reply(candidates)
