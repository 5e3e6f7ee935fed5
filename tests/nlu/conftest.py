"""Classifies messages with the trained model, each text once per run."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.model import parse_many


@pytest.fixture(scope="session")
def classify(agent) -> Callable[[list[str]], list[dict]]:
    """Returns a function: texts -> Rasa parse results (intent, ranking)."""
    # Several tests classify the same sets (CLINC150 val, the FAQ test set):
    # each text is parsed once per session, the new ones together.
    parsed: dict[str, dict] = {}

    def run(texts: list[str]) -> list[dict]:
        new = list(dict.fromkeys(text for text in texts if text not in parsed))
        parsed.update(zip(new, parse_many(agent, new), strict=True))
        return [parsed[text] for text in texts]

    return run
