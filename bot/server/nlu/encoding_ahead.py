"""Rasa NLU component: starts the sentence encoder before spaCy parses the message.

The encoder (about 5 ms a message) computes in TensorFlow, which lets go of
Python's global lock while it works; spaCy's parse (about 2.5 ms with the
redactor's entities) holds that lock. Started first, on a thread of its own,
the encoder computes on the second core while the main thread parses, and
`SentenceEncoderFeaturizer` takes the finished embedding: both take about
6 ms instead of 9. Only answering a message works this way; training
encodes its examples in batches.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.server.nlu.encoder import shared_encoder


class EncodingsAhead:
    """Embeddings started early, each taken once by the featurizer.

    The Rasa server runs a message's whole NLU pipeline without yielding to
    other messages, so what this starts is taken in the same run. Only the
    last few are kept, in case a pipeline stops before the featurizer.
    """

    def __init__(
        self,
        encode: Callable[[list[str]], np.ndarray] | None = None,
        size: int = 32,
    ) -> None:
        """No embeddings started yet.

        Args:
            encode: Embeds texts, one row each; by default the shared encoder.
            size: At most this many embeddings wait to be taken.

        """
        self._encode = encode
        self._pending: OrderedDict[str, Future] = OrderedDict()
        self._size = size
        self._executor: ThreadPoolExecutor | None = None

    def start(self, text: str) -> None:
        """Starts embedding `text` on the encoder's thread."""
        if text in self._pending:
            return
        if self._executor is None:
            # One thread: the encoder computes one message at a time anyway.
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="encoder")
        encode = self._encode or shared_encoder().encode
        self._pending[text] = self._executor.submit(encode, [text])
        while len(self._pending) > self._size:
            self._pending.popitem(last=False)

    def take(self, text: str) -> np.ndarray | None:
        """The embedding of exactly this text if it was started; waits for it.

        Raises:
            Exception: Whatever the encoder raised for this text.

        """
        future = self._pending.pop(text, None)
        if future is None:
            return None
        return future.result()[0]


def answering_one_message(messages: list[Message]) -> bool:
    """Whether a component is running for the server answering one message.

    The server parses each message on its own; the NLU tests and `rasa test`
    parse in batches, where work started ahead would only slow them.
    """
    return len(messages) == 1


# One per process, used from the Rasa server's event loop.
ENCODINGS_AHEAD = EncodingsAhead()


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEncodingStarter(GraphComponent):
    """First in the pipeline: starts each message's sentence embedding."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncodingStarter:
        """A starter; it has no settings."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing: the featurizer encodes training examples in batches."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Starts embedding a message being answered.

        Batches (the NLU tests, `rasa test`) are left to the featurizer,
        which encodes them together, several times faster per message.
        """
        if answering_one_message(messages) and messages[0].get(TEXT) is not None:
            ENCODINGS_AHEAD.start(messages[0].get(TEXT))
        return messages
