"""Rasa NLU component: puts safety messages on their route, last in the pipeline.

It trains the learned risk model (`bot.server.safety.risk_model`) on the safety
corpus and the NLU training data, and at run time combines it with the spaCy
safety matcher (`bot.server.safety.router`). The chosen route replaces the
predicted intent, so the dialogue sends the route's fixed reply and never
FAQ content.

Each parsed message also carries a `safety` entry for the actions: the tier,
the crisis risk, whether the message is in Spanish, and the FAQ intent the
classifier saw in it (the check-in keeps that question to answer it later).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety_routes import NOT_SAFETY, SAFETY_INTENTS, SPANISH_CRISIS_ROUTES
from bot.server.nlu.encoder import shared_encoder
from bot.server.nlu.not_covered_guard import NOT_COVERED
from bot.server.nlu.sentence_featurizer import embeddings_of
from bot.server.nlu.stored_model import StoredModelComponent
from bot.server.nlu.text_classifier import ClassifierSettings, TextClassifier
from bot.server.safety.language import is_spanish
from bot.server.safety.matcher import SafetyMatcher
from bot.server.safety.risk_model import label_for_intent, read_corpus
from bot.server.safety.router import Thresholds, choose_route, crisis_risk
from bot.topics import FALLBACK_INTENT, topic_for_intent

logger = logging.getLogger(__name__)

SAFETY_KEY = "safety"


def question_intent(
    ranking: list[dict[str, Any]], min_confidence: float = 0.0
) -> str | None:
    """The person's question: the likeliest intent that is not a safety route.

    Args:
        ranking: The classifier's intent ranking, likeliest first.
        min_confidence: Below this the classifier was unsure, and answering
            its guess later would be a confident wrong answer.

    """
    for entry in ranking:
        name = entry.get("name")
        if name and name not in SAFETY_INTENTS and name != FALLBACK_INTENT:
            return name if entry.get("confidence", 0.0) >= min_confidence else None
    return None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class SafetyRouter(StoredModelComponent):
    """Routes crisis, emergency, self-dosing, sourcing and medical-advice messages."""

    MODEL_FILE = "risk_model.joblib"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Corpus folder, model settings and score bands (see config.yml)."""
        return {
            "corpus": "data/safety",
            "c": ClassifierSettings.c,
            "embedding_weight": ClassifierSettings.embedding_weight,
            "check_in_threshold": Thresholds.check_in,
            "crisis_threshold": Thresholds.crisis,
            "pattern_crisis_threshold": Thresholds.pattern_crisis,
            "route_threshold": Thresholds.route,
            "not_safety_threshold": Thresholds.not_safety,
            "understood_threshold": Thresholds.understood,
            "understood_check_in_threshold": Thresholds.understood_check_in,
            "understood_route_threshold": Thresholds.understood_route,
            "unplaced_check_in_threshold": Thresholds.unplaced_check_in,
            # As the FallbackClassifier's threshold: a question kept for
            # later must have been understood.
            "question_threshold": 0.4,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: TextClassifier | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource, model)
        self._matcher: SafetyMatcher | None = None
        self._thresholds = Thresholds(
            check_in=config["check_in_threshold"],
            crisis=config["crisis_threshold"],
            pattern_crisis=config["pattern_crisis_threshold"],
            route=config["route_threshold"],
            not_safety=config["not_safety_threshold"],
            understood=config["understood_threshold"],
            understood_check_in=config["understood_check_in_threshold"],
            understood_route=config["understood_route_threshold"],
            unplaced_check_in=config["unplaced_check_in_threshold"],
        )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SafetyRouter:
        """The trained component; the encoder loads now, not on the first message."""
        component = super().load(config, model_storage, resource, execution_context)
        shared_encoder()
        return component

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The corpus files' contents, so Rasa's training cache sees edits.

        Rasa fingerprints only what flows through its graph; without this, a
        changed `data/safety/*.tsv` would restore the previous model from
        the cache.
        """
        if "corpus" not in config:
            # Rasa asks again for a node restored from its cache, then with
            # the cached output's config ({"output": ...}), not this
            # component's: the output is fingerprinted already.
            return None
        digest = hashlib.sha256()
        for path in sorted(Path(config["corpus"]).glob("*.tsv")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        """Fits the risk model on the safety corpus and the NLU examples."""
        corpus = read_corpus(sorted(Path(self._config["corpus"]).glob("*.tsv")))
        texts = [example.text for example in corpus]
        labels = [example.label for example in corpus]
        examples = training_data.intent_examples
        for message in examples:
            texts.append(message.get(TEXT))
            labels.append(label_for_intent(message.get(INTENT)))
        corpus_embeddings = shared_encoder().encode([e.text for e in corpus])
        embeddings = np.concatenate([corpus_embeddings, embeddings_of(examples)])
        settings = ClassifierSettings(
            c=self._config["c"], embedding_weight=self._config["embedding_weight"]
        )
        return self._save(TextClassifier.fit(texts, labels, embeddings, settings))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to add to the training data."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets each safety message's intent to its route."""
        active = [m for m in messages if (m.get(TEXT) or "").strip()]
        if not active or self._model is None:
            return messages
        texts = [message.get(TEXT) for message in active]
        probabilities = self._model.probabilities(texts, embeddings_of(active))
        for message, row in zip(active, probabilities, strict=True):
            scores = dict(zip(self._model.labels, map(float, row), strict=True))
            self._route(message, scores)
        return messages

    def _matched_route(self, message: Message) -> str | None:
        doc = message.get(SPACY_DOCS[TEXT])
        if doc is None or not len(doc):
            return None
        if self._matcher is None:
            # The spaCy docs share the pipeline's vocabulary.
            self._matcher = SafetyMatcher(doc.vocab)
        return self._matcher.route(doc)

    def _route(self, message: Message, scores: dict[str, float]) -> None:
        intent = message.get(INTENT) or {}
        predicted = intent.get("name")
        ranking = message.get(INTENT_RANKING_KEY) or []
        understood = (
            topic_for_intent(predicted) is not None
            and intent.get("confidence", 0.0) >= self._thresholds.understood
        )
        route = choose_route(
            predicted,
            scores,
            self._matched_route(message),
            self._thresholds,
            understood_question=understood,
            has_vetted_answer=predicted != NOT_COVERED,
        )
        asked = question_intent(ranking, self._config["question_threshold"])
        spanish = is_spanish(message.get(TEXT))
        message.set(
            SAFETY_KEY,
            {
                "risk": round(crisis_risk(scores), 4),
                "spanish": spanish,
                "question_intent": asked,
            },
            add_to_output=True,
        )
        if route is None:
            return
        # The crisis reply, the check-in and the helper reply have Spanish
        # versions: a person writing in Spanish is asked and helped in Spanish.
        if spanish:
            route = SPANISH_CRISIS_ROUTES.get(route, route)
        if route == predicted:
            return
        if route == NOT_SAFETY:
            # The risk model is sure this is an ordinary question: answer it
            # as the classifier's next guess, or ask when there is none.
            route = asked or FALLBACK_INTENT
        # The message text is not logged: people write about their health.
        logger.info("Safety routing: '%s' becomes '%s'.", predicted, route)
        chosen = {"name": route, "confidence": 1.0}
        rest = [entry for entry in ranking if entry.get("name") != route]
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen, *rest], add_to_output=True)
