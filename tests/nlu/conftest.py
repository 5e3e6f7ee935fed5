"""Loads the trained model once and classifies messages with it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.settings import load_settings


@pytest.fixture(scope="session")
def classify() -> Callable[[list[str]], list[dict]]:
    """Returns a function: texts -> Rasa parse results (intent, ranking)."""
    from rasa.core.agent import Agent

    model_path = load_settings().model_path
    if not model_path.is_file():
        pytest.fail(f"No trained model at {model_path}; run `make train` first.")
    agent = Agent.load(str(model_path))
    loop = asyncio.new_event_loop()

    # Several tests classify the same sets (CLINC150 val, the FAQ test set):
    # each text is parsed once per session.
    parsed: dict[str, dict] = {}

    def run(texts: list[str]) -> list[dict]:
        async def parse_all() -> None:
            for text in texts:
                if text not in parsed:
                    parsed[text] = await agent.parse_message(text)

        loop.run_until_complete(parse_all())
        return [parsed[text] for text in texts]

    yield run
    loop.close()
