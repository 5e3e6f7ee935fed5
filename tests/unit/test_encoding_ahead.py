"""The sentence encoder started ahead, on its own thread, while spaCy parses."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.server.nlu import encoding_ahead
from bot.server.nlu.encoding_ahead import EncodingsAhead, SentenceEncodingStarter


class RecordingEncoder:
    """Embeds a text as [its length]; records the thread and what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], str]] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls.append((list(texts), threading.current_thread().name))
        return np.array([[float(len(text))] for text in texts], dtype=np.float32)


def test_an_embedding_started_ahead_is_computed_on_another_thread_and_taken_once():
    encoder = RecordingEncoder()
    ahead = EncodingsAhead(encode=encoder)
    ahead.start("how long is a session?")
    assert ahead.take("how long is a session?").tolist() == [22.0]
    assert ahead.take("how long is a session?") is None
    [(texts, thread)] = encoder.calls
    assert texts == ["how long is a session?"]
    assert thread != threading.current_thread().name


def test_a_text_never_started_is_not_there():
    ahead = EncodingsAhead(encode=RecordingEncoder())
    ahead.start("one")
    assert ahead.take("One") is None


def test_the_same_text_started_twice_is_encoded_once():
    encoder = RecordingEncoder()
    ahead = EncodingsAhead(encode=encoder)
    ahead.start("again")
    ahead.start("again")
    assert ahead.take("again").tolist() == [5.0]
    assert len(encoder.calls) == 1


def test_only_the_last_few_started_are_kept():
    ahead = EncodingsAhead(encode=RecordingEncoder(), size=2)
    for text in ("one", "two", "three"):
        ahead.start(text)
    assert ahead.take("one") is None
    assert ahead.take("three").tolist() == [5.0]


def test_the_encoders_error_reaches_the_taker():
    def broken(texts: list[str]) -> np.ndarray:
        raise ValueError("no weights")

    ahead = EncodingsAhead(encode=broken)
    ahead.start("hello")
    with pytest.raises(ValueError, match="no weights"):
        ahead.take("hello")


def test_the_starter_starts_one_message_being_answered_but_not_a_batch(monkeypatch):
    ahead = EncodingsAhead(encode=RecordingEncoder())
    monkeypatch.setattr(encoding_ahead, "ENCODINGS_AHEAD", ahead)
    starter = SentenceEncodingStarter()

    batch = [Message(data={TEXT: "first"}), Message(data={TEXT: "second"})]
    assert starter.process(batch) is batch
    assert ahead.take("first") is None and ahead.take("second") is None

    starter.process([Message(data={"intent": {"name": "greet"}})])
    starter.process([Message(data={TEXT: "is it legal?"})])
    assert ahead.take("is it legal?").tolist() == [12.0]
