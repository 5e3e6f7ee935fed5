"""Rasa NLU component: the pretrained sentence encoder's embedding as a feature.

A few thousand training examples are too few to learn that phrasings with
no words in common ask the same thing ("what do they charge" and "how much
does it cost"). all-MiniLM-L6-v2 (`bot.server.nlu.encoder`) was trained on a
billion sentence pairs and puts such paraphrases close together. Its
embedding is added to the message as a dense sentence feature, computed once
and read by both the topic classifier and the safety router.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.server.nlu.encoder import DIMENSIONS, shared_encoder
from bot.server.nlu.encoding_ahead import ENCODINGS_AHEAD

# The features' origin, so that the safety router finds them among the others.
FEATURE_ORIGIN = "sentence_encoder"


def stored_embedding(message: Message) -> np.ndarray | None:
    """The embedding this component added to the message, if it ran."""
    for features in message.features:
        if (
            features.origin == FEATURE_ORIGIN
            and features.type == FEATURE_TYPE_SENTENCE
            and features.attribute == TEXT
        ):
            return np.asarray(features.features[0], dtype=np.float32)
    return None


def _encode_missing(
    rows: list[np.ndarray | None], texts: list[str]
) -> list[np.ndarray]:
    """The rows, with those that are None encoded now, together in one call."""
    missing = [i for i, row in enumerate(rows) if row is None]
    if missing:
        encoded = shared_encoder().encode([texts[i] for i in missing])
        for i, row in zip(missing, encoded, strict=True):
            rows[i] = row
    return rows


def embeddings_of(messages: list[Message]) -> np.ndarray:
    """The messages' embeddings, one row each: the featurizer's, else encoded now.

    Encoding here covers messages that did not pass the featurizer, such as
    a model trained before it joined the pipeline.
    """
    rows = _encode_missing(
        [stored_embedding(message) for message in messages],
        [message.get(TEXT) or "" for message in messages],
    )
    if not rows:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack(rows)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the all-MiniLM-L6-v2 sentence embedding of each message's text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """A fixed origin name for the features (see `stored_embedding`)."""
        return {FEATURIZER_CLASS_ALIAS: FEATURE_ORIGIN}

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        """A featurizer; the encoder loads now, not on the first message."""
        shared_encoder()
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """No settings to check."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Embeds every training example, in batches."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Embeds each message that has text (an empty text gets a valid row too).

        Messages without a text attribute (the domain's intents and actions
        that Rasa featurizes for the dialogue policies) get no feature, as
        with Rasa's own dense featurizers.
        """
        textual = [m for m in messages if m.get(TEXT) is not None]
        if not textual:
            return messages
        texts = [m.get(TEXT) for m in textual]
        # Started by `SentenceEncodingStarter` while spaCy parsed, if it ran.
        embeddings = _encode_missing([ENCODINGS_AHEAD.take(t) for t in texts], texts)
        for message, embedding in zip(textual, embeddings, strict=True):
            self.add_features_to_message(
                sequence=None,
                sentence=embedding[None, :],
                attribute=TEXT,
                message=message,
            )
        return messages
