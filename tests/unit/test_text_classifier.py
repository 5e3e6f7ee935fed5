"""The text classifier shared by the topic classifier and the risk model."""

from __future__ import annotations

import joblib
import numpy as np

from bot.server.nlu.text_classifier import ClassifierSettings, TextClassifier

TEXTS = [
    "how long does a session last",
    "how long is one session",
    "what does a session cost",
    "how much does it cost",
    "is mdma therapy legal",
    "is it legal in my state",
] * 3
LABELS = ["session", "session", "cost", "cost", "legal", "legal"] * 3


def _embeddings(count: int) -> np.ndarray:
    rows = np.random.default_rng(7).normal(size=(count, 8)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_a_saved_and_loaded_classifier_gives_the_same_probabilities(tmp_path):
    embeddings = _embeddings(len(TEXTS))
    model = TextClassifier.fit(TEXTS, LABELS, embeddings, ClassifierSettings(c=10.0))
    joblib.dump(model, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")

    expected = model.probabilities(TEXTS, embeddings)
    assert np.array_equal(loaded.probabilities(TEXTS, embeddings), expected)
    assert loaded.labels == ["cost", "legal", "session"]
    assert np.allclose(expected.sum(axis=1), 1.0)
    assert (
        max(
            model.scores("how long is a session", embeddings[0]).items(),
            key=lambda item: item[1],
        )[0]
        == "session"
    )


def test_its_weights_are_kept_for_a_copy_free_product_with_the_features(tmp_path):
    model = TextClassifier.fit(TEXTS, LABELS, _embeddings(len(TEXTS)))
    # scikit-learn multiplies by coef_.T; row-major weights cost a full copy
    # of the matrix per message (see _store_for_prediction).
    assert model.classifier.coef_.T.flags["C_CONTIGUOUS"]
    # A model saved before this was stored row-major; loading mends it.
    model.classifier.coef_ = np.ascontiguousarray(model.classifier.coef_)
    joblib.dump(model, tmp_path / "old.joblib")
    loaded = joblib.load(tmp_path / "old.joblib")
    assert loaded.classifier.coef_.T.flags["C_CONTIGUOUS"]


def test_one_message_gets_the_same_features_as_scikit_learns_transforms():
    # The one-message path skips scikit-learn's checks; its numbers must not
    # differ (unknown words only, empty text, accents and typos included).
    embeddings = _embeddings(len(TEXTS))
    model = TextClassifier.fit(TEXTS, LABELS, embeddings)
    for text in [*TEXTS, "", "zzz qqq", "¿es legal?", "how lnog is a sesion sesion"]:
        one = model._features([text.lower()], embeddings[:1])
        batch = model._features([text.lower(), "padding row"], embeddings[:2])[0]
        assert one.shape == batch.shape
        assert np.allclose(one.toarray(), batch.toarray(), rtol=0, atol=1e-12), text


def test_one_message_and_a_batch_give_the_same_probabilities():
    embeddings = _embeddings(len(TEXTS))
    model = TextClassifier.fit(TEXTS, LABELS, embeddings)
    batch = model.probabilities(TEXTS, embeddings)
    for row, text in enumerate(TEXTS):
        one = model.probabilities([text], embeddings[row : row + 1])[0]
        assert np.allclose(one, batch[row], rtol=0, atol=1e-12)
