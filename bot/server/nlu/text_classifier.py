"""A text classifier: sentence embedding, word and character features, one model.

The sentence encoder's embedding carries meaning, so paraphrases that share
no words with any training example still land ("what do they charge" beside
"how much does it cost"); word uni- and bigrams keep the exact terms (slang
such as "ctb", Spanish, drug names) and character n-grams survive typos. A
logistic regression weighs them and gives a probability per label. Both the
bot's topic classifier and its safety risk model are one of these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


@dataclass(frozen=True)
class ClassifierSettings:
    """How a classifier is fitted (each user chose its values by cross-validation)."""

    # Inverse regularisation strength of the logistic regression.
    c: float = 10.0
    # How much the sentence embedding counts next to the word features.
    embedding_weight: float = 2.0
    max_char_features: int = 60000


class TextClassifier:
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
        if hasattr(classifier, "coef_"):
            _store_for_prediction(classifier)

    def __setstate__(self, state: dict) -> None:
        """Unpickled (a trained model loading): weights stored for prediction."""
        self.__dict__.update(state)
        _store_for_prediction(self.classifier)

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
        settings: ClassifierSettings | None = None,
    ) -> TextClassifier:
        """Fits the model.

        Args:
            texts: Training messages.
            labels: Their labels.
            embeddings: Their sentence embeddings, one row per text.
            settings: How to fit.

        """
        settings = settings or ClassifierSettings()
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
        # Balanced weights: rare labels (a crisis line among everyday
        # questions, a topic with few examples) count as much as common ones.
        classifier = LogisticRegression(
            C=settings.c, max_iter=5000, class_weight="balanced"
        )
        model = cls(words, chars, classifier, settings.embedding_weight)
        classifier.fit(model._features(lowered, embeddings), list(labels))
        _store_for_prediction(classifier)
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


def _store_for_prediction(classifier: LogisticRegression) -> None:
    """Keeps the weights column-major: the same numbers, one copy fewer per message.

    scikit-learn multiplies the sparse features by `coef_.T`. With `coef_`
    row-major, SciPy first copies the whole transposed matrix (49 x 19,833
    for the topic classifier) on every call; that copy was most of the
    classifier's time under load (issue 15's profile).
    """
    classifier.coef_ = np.asfortranarray(classifier.coef_)
