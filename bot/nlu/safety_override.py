"""Rasa NLU component: safety routes override what the classifier predicted.

The intent classifier alone cannot be trusted with a message about suicide,
an overdose or buying MDMA: it may call it an FAQ question, out of scope or
unclear. This component runs last in the pipeline. When the spaCy safety
matcher (bot.safety) finds crisis language, the intent becomes `crisis`
whatever was predicted. When it finds another safety route and the classifier
did not already choose a safety route, the intent becomes that route. The
dialogue then sends the route's fixed reply and never FAQ content.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety.matcher import CRISIS, ROUTE_PRIORITY, SafetyMatcher

logger = logging.getLogger(__name__)


def overriding_route(predicted: str | None, found: str | None) -> str | None:
    """The route that replaces the predicted intent, or None to keep it."""
    if found is None or found == predicted:
        return None
    if found == CRISIS or predicted not in ROUTE_PRIORITY:
        return found
    return None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class SafetyOverride(GraphComponent):
    """Sets the intent to a safety route when the message calls for one."""

    def __init__(self) -> None:
        self._matcher: SafetyMatcher | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyOverride:
        """Creates the component (the matcher is built on the first message)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrides the predicted intent of safety-route messages."""
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None or not len(doc):
                continue
            if self._matcher is None:
                # The spaCy docs share the pipeline's vocabulary.
                self._matcher = SafetyMatcher(doc.vocab)
            predicted = (message.get(INTENT) or {}).get("name")
            route = overriding_route(predicted, self._matcher.route(doc))
            if route is None:
                continue
            # The message text is not logged: people write about their health.
            logger.info(
                "Safety matcher routes a '%s' message to '%s'.", predicted, route
            )
            override = {"name": route, "confidence": 1.0}
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get("name") != route
            ]
            message.set(INTENT, override, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
        return messages
