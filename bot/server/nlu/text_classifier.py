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
from weakref import WeakKeyDictionary

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
        if len(lowered) > 1:
            # Training and batches: scikit-learn's own transforms.
            return sparse.hstack(
                [
                    self.words.transform(lowered),
                    self.chars.transform(lowered),
                    sparse.csr_matrix(embeddings * self.embedding_weight),
                ]
            ).tocsr()
        return self._one_message_features(lowered[0], embeddings[0])

    def _one_message_features(self, text: str, embedding: np.ndarray):
        # The same numbers as the path above for one message, without
        # scikit-learn's per-call input checks, which were most of the
        # classifiers' time per message (issue 15's profile).
        columns, values, offset = [], [], 0
        for vectorizer in (self.words, self.chars):
            indices, weights = _tfidf_row(vectorizer, text)
            columns.append(indices + offset)
            values.append(weights)
            offset += len(vectorizer.vocabulary_)
        columns.append(np.arange(offset, offset + embedding.shape[0]))
        values.append(embedding.astype(np.float64) * self.embedding_weight)
        data = np.concatenate(values)
        return sparse.csr_matrix(
            (data, np.concatenate(columns), np.array([0, len(data)])),
            shape=(1, offset + embedding.shape[0]),
        )

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


def _tfidf_row(vectorizer: TfidfVectorizer, text: str) -> tuple[np.ndarray, np.ndarray]:
    """One text's tf-idf row as `vectorizer.transform` computes it (indices, values).

    Counts of the known n-grams, sublinear tf (1 + log count), times idf,
    scaled to unit length; the vectorizers here are all fitted that way.
    """
    analyzer, idf = _fitted_parts(vectorizer)
    vocabulary = vectorizer.vocabulary_
    counts: dict[int, int] = {}
    for gram in analyzer(text):
        index = vocabulary.get(gram)
        if index is not None:
            counts[index] = counts.get(index, 0) + 1
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    indices = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
    weights = np.log(np.array([counts[i] for i in indices], dtype=np.float64)) + 1
    weights *= idf[indices]
    return indices, weights / np.sqrt(np.dot(weights, weights))


# Per fitted vectorizer: its analyzer and idf vector, which scikit-learn
# rebuilds on every access. Outside the vectorizer, so nothing extra is saved
# with the model.
_FITTED_PARTS: WeakKeyDictionary = WeakKeyDictionary()


def _fitted_parts(vectorizer: TfidfVectorizer):
    parts = _FITTED_PARTS.get(vectorizer)
    if parts is None:
        parts = (vectorizer.build_analyzer(), np.asarray(vectorizer.idf_))
        _FITTED_PARTS[vectorizer] = parts
    return parts
