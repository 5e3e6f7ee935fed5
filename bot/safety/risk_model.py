"""The learned risk model: how likely a message belongs on each safety route.

Keyword rules cannot cover how people in crisis write ("gave my guitar to my
nephew and wrote some letters"), so a classifier trained on thousands of
written examples scores every message. Its features are the sentence
encoder's embedding (meaning, paraphrase), word uni- and bigrams (slang such
as "ctb", Spanish) and character n-grams (typos), weighed by a logistic
regression that gives a probability per label.

The training examples are `data/safety/*.tsv` (label, kind, text), written
by several writers for variety, plus the NLU training data: its safety
intents as their own label and every other intent as `none`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.safety.routes import (
    CRISIS,
    CRISIS_CHECK_IN,
    CRISIS_SOMEONE_ELSE,
    CRISIS_SPANISH,
    MEDICAL_EMERGENCY,
    NOT_SAFETY,
    PERSONAL_MEDICAL_ADVICE,
    SAFETY_INTENTS,
    SELF_DOSING,
    SOURCING,
)

# The corpus files' labels, as the bot's intents.
CORPUS_LABELS = {
    "crisis": CRISIS,
    "crisis_other": CRISIS_SOMEONE_ELSE,
    "emergency": MEDICAL_EMERGENCY,
    "self_dosing": SELF_DOSING,
    "sourcing": SOURCING,
    "medical_advice": PERSONAL_MEDICAL_ADVICE,
    # Questions about risks and everyday idioms with alarming words: the
    # hard negatives that must not raise an alarm.
    "faq_risk": NOT_SAFETY,
    "idiom": NOT_SAFETY,
}


@dataclass(frozen=True)
class Example:
    """One labelled message of the safety corpus."""

    # The bot's intent for it (or `none`).
    label: str
    # What variety of message it is (passive_ideation, typo_texting, ...).
    kind: str
    text: str
    # The corpus label as written (`faq_risk` and `idiom` are both `none`).
    written_as: str


def read_corpus(paths: Iterable[Path]) -> list[Example]:
    """Reads corpus TSV files (`label<TAB>kind<TAB>text`, with a header line).

    Raises:
        ValueError: On a malformed line or an unknown label, naming the file
            and line, so bad data never trains silently.

    """
    examples: list[Example] = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(rows, None)
            if header != ["label", "kind", "text"]:
                raise ValueError(f"{path}: the header must be label, kind, text")
            for number, row in enumerate(rows, start=2):
                if len(row) != 3 or row[0] not in CORPUS_LABELS or not row[2].strip():
                    raise ValueError(f"{path}:{number}: not a valid corpus line")
                examples.append(
                    Example(CORPUS_LABELS[row[0]], row[1], row[2].strip(), row[0])
                )
    return examples


def label_for_intent(intent: str) -> str:
    """The risk label of an NLU training intent.

    Safety intents keep theirs, except that the Spanish crisis and the
    unsure check-in examples are crisis language to the risk model: language
    and tier are decided after it scores.
    """
    if intent in (CRISIS_SPANISH, CRISIS_CHECK_IN):
        return CRISIS
    return intent if intent in SAFETY_INTENTS else NOT_SAFETY


@dataclass(frozen=True)
class RiskSettings:
    """How the model is fitted (chosen by cross-validation across writers)."""

    # Inverse regularisation strength of the logistic regression.
    c: float = 10.0
    # How much the sentence embedding counts next to the word features.
    embedding_weight: float = 2.0
    max_char_features: int = 60000


class RiskModel:
    """Word, character and embedding features under a logistic regression."""

    def __init__(
        self,
        words: TfidfVectorizer,
        chars: TfidfVectorizer,
        classifier: LogisticRegression,
        embedding_weight: float,
    ) -> None:
        """Wraps fitted parts (use `fit` to make one from examples)."""
        self.words = words
        self.chars = chars
        self.classifier = classifier
        self.embedding_weight = embedding_weight

    @property
    def labels(self) -> list[str]:
        """The labels, in the order of `probabilities` columns."""
        return [str(label) for label in self.classifier.classes_]

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        embeddings: np.ndarray,
        settings: RiskSettings | None = None,
    ) -> RiskModel:
        """Fits the model.

        Args:
            texts: Training messages.
            labels: Their labels (intents or `none`).
            embeddings: Their sentence embeddings, one row per text.
            settings: How to fit.

        """
        settings = settings or RiskSettings()
        lowered = [text.lower() for text in texts]
        words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True
        ).fit(lowered)
        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=2,
            sublinear_tf=True,
            max_features=settings.max_char_features,
        ).fit(lowered)
        # Balanced weights: crisis lines are fewer than everyday questions,
        # and missing one costs far more.
        classifier = LogisticRegression(
            C=settings.c, max_iter=5000, class_weight="balanced"
        )
        model = cls(words, chars, classifier, settings.embedding_weight)
        classifier.fit(model._features(lowered, embeddings), list(labels))
        return model

    def _features(self, lowered: Sequence[str], embeddings: np.ndarray):
        return sparse.hstack(
            [
                self.words.transform(lowered),
                self.chars.transform(lowered),
                sparse.csr_matrix(embeddings * self.embedding_weight),
            ]
        ).tocsr()

    def probabilities(self, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
        """Label probabilities, one row per text, columns as `labels`."""
        lowered = [text.lower() for text in texts]
        return self.classifier.predict_proba(self._features(lowered, embeddings))

    def scores(self, text: str, embedding: np.ndarray) -> dict[str, float]:
        """Label -> probability for one message."""
        row = self.probabilities([text], embedding.reshape(1, -1))[0]
        return {label: float(p) for label, p in zip(self.labels, row, strict=True)}
