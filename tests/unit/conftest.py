"""Fixtures for unit tests: an in-memory database at the newest migration,
trackers, a dispatcher."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

from bot.answers.lookup import AnswerLookup
from bot.content import VettedAnswer, read_content_file
from bot.db.engine import session_factory
from bot.db.migrate import upgrade_to_head
from bot.ops.load_content import load_answers
from bot.settings import DEFAULT_CONTENT_FILE


@pytest.fixture(scope="session")
def vetted_answers() -> list[VettedAnswer]:
    return read_content_file(DEFAULT_CONTENT_FILE)


@pytest.fixture
def engine() -> Iterator[Engine]:
    # One shared in-memory database across threads (actions read it from a
    # worker thread).
    engine = create_engine(
        "sqlite://",
        future=True,
        poolclass=StaticPool,
        connect_args={"check_same_thread": False},
    )
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def loaded_engine(engine: Engine, vetted_answers: list[VettedAnswer]) -> Engine:
    with session_factory(engine)() as session:
        load_answers(session, vetted_answers)
    return engine


@pytest.fixture
def lookup(loaded_engine: Engine) -> AnswerLookup:
    return AnswerLookup(session_factory(loaded_engine), DEFAULT_CONTENT_FILE)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def make_tracker() -> Callable[..., Tracker]:
    """Builds a tracker whose latest message has the given intent."""

    def build(
        intent: str,
        text: str = "",
        slots: dict[str, Any] | None = None,
        ranking: list[tuple[str, float]] | None = None,
    ) -> Tracker:
        ranking = ranking or [(intent, 0.9)]
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": ranking[0][1]},
            "intent_ranking": [
                {"name": name, "confidence": score} for name, score in ranking
            ],
            "entities": [],
        }
        events = [
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": text, "parse_data": latest},
        ]
        return Tracker(
            sender_id="test-user",
            slots=slots or {},
            latest_message=latest,
            events=events,
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return build
