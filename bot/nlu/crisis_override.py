"""Rasa NLU component: crisis language overrides whatever was predicted.

The intent classifier alone cannot be trusted with a message about suicide:
it may call it an FAQ question, out of scope, or unclear. This component runs
last in the pipeline and, when the spaCy crisis matcher finds crisis
language, sets the intent to `crisis` with full confidence, so the dialogue
sends the crisis lines and nothing else.
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

from bot.safety.matcher import CrisisMatcher

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisOverride(GraphComponent):
    """Sets the intent to `crisis` when the message contains crisis language."""

    def __init__(self) -> None:
        self._matcher: CrisisMatcher | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisOverride:
        """Creates the component (the matcher is built on the first message)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrides the predicted intent of crisis messages."""
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None or not len(doc):
                continue
            if self._matcher is None:
                # The spaCy docs share the pipeline's vocabulary.
                self._matcher = CrisisMatcher(doc.vocab)
            if message.get(INTENT, {}).get("name") == CRISIS_INTENT:
                continue
            if self._matcher.is_crisis(doc):
                logger.info("Crisis language found; routing to the crisis reply.")
                override = {"name": CRISIS_INTENT, "confidence": 1.0}
                ranking = [
                    entry
                    for entry in message.get(INTENT_RANKING_KEY, [])
                    if entry.get("name") != CRISIS_INTENT
                ]
                message.set(INTENT, override, add_to_output=True)
                message.set(
                    INTENT_RANKING_KEY, [override, *ranking], add_to_output=True
                )
        return messages
