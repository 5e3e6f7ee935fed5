"""The trained model, loaded once per test process, and parsing many texts with it.

`rasa test core` and each NLU test module used to load the model on their
own (TensorFlow, spaCy, the sentence encoder: most of a minute each time).
The session fixture `agent` (tests/conftest.py) loads it once; the story
and NLU tests share it.

`parse_many` runs the model's NLU graph on a batch of texts at once, the
way `Agent.parse_message` runs it on one: same graph, same components, same
parse data. Only the sentence encoder of the safety router then embeds many
texts in one call; its padded batches change the embeddings by about 1e-7
(the same size of round-off as running the model on another CPU), and
tests/nlu/test_batched_parse.py checks that the decisions match the
server's path one message at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.settings import load_settings

if TYPE_CHECKING:
    from rasa.core.agent import Agent

BATCH_SIZE = 256


class ModelMissing(RuntimeError):
    """No trained model where the settings say it is."""


def load_agent() -> Agent:
    """The trained model, loaded as `rasa run` and `rasa test` load it."""
    from rasa.core.agent import Agent

    model_path = load_settings().model_path
    if not model_path.is_file():
        raise ModelMissing(f"No trained model at {model_path}; run `make train` first.")
    return Agent.load(str(model_path))


def parse_many(agent: Agent, texts: Sequence[str]) -> list[dict[str, Any]]:
    """Parse data for each text, as `agent.parse_message(text)` returns it.

    Args:
        agent: The loaded model.
        texts: The messages.

    Returns:
        One parse result (text, intent, ranking, entities, the safety
        router's data) per text, in order.

    """
    results: list[dict[str, Any]] = []
    for start in range(0, len(texts), BATCH_SIZE):
        results += _parse_batch(agent, texts[start : start + BATCH_SIZE])
    return results


def _parse_batch(agent: Agent, texts: Sequence[str]) -> list[dict[str, Any]]:
    # As MessageProcessor.parse_message and _parse_message_with_graph do for
    # one message (Rasa 3.6), with the graph given a list of messages.
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.nlu.constants import (
        ENTITIES,
        INTENT,
        INTENT_NAME_KEY,
        PREDICTED_CONFIDENCE_KEY,
        TEXT,
    )

    processor = agent.processor
    messages = [UserMessage(text) for text in texts]
    target = processor.model_metadata.nlu_target
    outputs = processor.graph_runner.run(
        inputs={
            PLACEHOLDER_MESSAGE: messages,
            PLACEHOLDER_TRACKER: DialogueStateTracker.from_events(
                messages[0].sender_id, []
            ),
        },
        targets=[target],
    )[target]
    assert len(outputs) == len(texts), (len(outputs), len(texts))
    results = []
    for parsed in outputs:
        data = {
            TEXT: "",
            INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
            ENTITIES: [],
        }
        data.update(parsed.as_dict(only_output_properties=True))
        processor._update_full_retrieval_intent(data)
        results.append(data)
    return results
