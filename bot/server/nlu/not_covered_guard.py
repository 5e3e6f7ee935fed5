"""Rasa NLU component: questions no vetted answer covers get `faq_not_covered`.

A confident vetted answer to a question it does not answer is worse than "I
don't have a vetted answer to that". No vetted answer covers the cost of the
therapy, insurance, or other drugs and therapies (ketamine, psilocybin and
the like), yet the classifier may still pick the nearest topic: "is
ayahuasca therapy safe?" is not answered by the MDMA safety answer. When a
message names such a thing and an FAQ topic was predicted (or it fell back
while asking about therapy), the intent becomes `faq_not_covered`. The
component runs before `SafetyRouter`, so a safety route still wins.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.topics import FALLBACK_INTENT, FAQ_INTENT_PREFIX

logger = logging.getLogger(__name__)

NOT_COVERED = "faq_not_covered"

# Other drugs and therapies: no vetted answer is about them.
OTHER_TREATMENT_WORDS = frozenset(
    {
        "ketamine",
        "esketamine",
        "spravato",
        "psilocybin",
        "psilocybine",
        "mushroom",
        "shroom",
        "ayahuasca",
        "lsd",
        "ibogaine",
        "dmt",
        "mescaline",
        "peyote",
    }
)
# Money: no vetted answer is about cost or coverage.
MONEY_WORDS = frozenset(
    {
        "cost",
        "price",
        "pricing",
        "expensive",
        "cheap",
        "afford",
        "affordable",
        "insurance",
        "insurer",
        "medicare",
        "medicaid",
        "tricare",
        "copay",
        "deductible",
        "reimburse",
        "reimbursement",
        "fee",
        "charge",
        "billing",
        "pay",
        "paid",
        "hsa",
        "fsa",
    }
)
# Topics whose answers compare MDMA with other drugs ("is mdma the same as
# lsd?"), so naming another drug there is answered.
COMPARES_DRUGS = frozenset({"faq_what_is_mdma", "faq_recreational"})
# Facts about MDMA itself: a question that names MDMA next to another drug
# ("how quickly does mdma start working compared with psilocybin?") is
# answered by them for the MDMA part.
MDMA_WORDS = frozenset({"mdma", "molly", "ecstasy"})
MDMA_FACT_TOPICS = COMPARES_DRUGS | {
    "faq_mechanism",
    "faq_effects",
    "faq_onset",
    "faq_effect_duration",
}
# A fallback becomes `faq_not_covered` only for a question about therapy.
THERAPY_WORDS = frozenset(
    {"therapy", "treatment", "session", "mdma", "clinic", "trial", "therapist"}
)


def not_covered_reason(words: Iterable[str]) -> str | None:
    """Which uncovered subject the words name: "money", "other drug" or None."""
    vocabulary = set(words)
    if vocabulary & MONEY_WORDS:
        return "money"
    if vocabulary & OTHER_TREATMENT_WORDS:
        return "other drug"
    return None


def guarded_intent(predicted: str | None, words: Iterable[str]) -> str | None:
    """`faq_not_covered` if the predicted intent would answer the wrong thing.

    Args:
        predicted: The intent the classifier chose.
        words: The message's words, lower case, as written and as lemmas.

    Returns:
        `faq_not_covered`, or None to keep the prediction.

    """
    vocabulary = set(words)
    reason = not_covered_reason(vocabulary)
    if reason is None or predicted == NOT_COVERED:
        return None
    if predicted == FALLBACK_INTENT:
        return NOT_COVERED if vocabulary & THERAPY_WORDS else None
    if not (predicted or "").startswith(FAQ_INTENT_PREFIX):
        return None
    if reason == "other drug" and (
        predicted in COMPARES_DRUGS
        or (vocabulary & MDMA_WORDS and predicted in MDMA_FACT_TOPICS)
    ):
        return None
    return NOT_COVERED


def message_words(tokens: Iterable[tuple[str, str]]) -> set[str]:
    """A message's words, lower case, as written and as lemmas.

    Args:
        tokens: (text, lemma) of each token, in order.

    Returns:
        The words; "charge" in "in charge" is left out (it is not money).

    """
    words: set[str] = set()
    previous = ""
    for text, lemma in tokens:
        text, lemma = text.lower(), lemma.lower()
        if not (previous == "in" and lemma == "charge"):
            words.update((text, lemma))
        previous = text
    return words


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class NotCoveredGuard(GraphComponent):
    """Sets `faq_not_covered` where the predicted topic does not answer."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NotCoveredGuard:
        """Creates the component; it has no state."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Replaces FAQ intents that would answer a question not covered."""
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None or not len(doc):
                continue
            words = message_words((token.text, token.lemma_) for token in doc)
            predicted = (message.get(INTENT) or {}).get("name")
            intent = guarded_intent(predicted, words)
            if intent is None:
                continue
            # The message text is not logged: people write about their health.
            logger.info("A '%s' message becomes '%s'.", predicted, intent)
            override = {"name": intent, "confidence": 1.0}
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get("name") != intent
            ]
            message.set(INTENT, override, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
        return messages
