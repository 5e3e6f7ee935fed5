"""Conversations go on in memory while the tracker database is unreachable.

The store is Rasa's real SQL tracker store on a SQLite file. The outage is
real too: the store is pointed at a loopback port where nothing listens, so
every query fails the way a stopped database server makes it fail.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from bot.server.outage import OutageTolerantStore
from tests.support.ports import held_port

SECRET_TEXT = "my name is Jane Roe"


class Store(OutageTolerantStore, SQLTrackerStore):
    """The outage mixin over Rasa's plain SQL store."""


def _point_at(store: Store, engine: sa.engine.Engine) -> None:
    store.engine = engine
    store.sessionmaker = sessionmaker(bind=engine)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(
        domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    )


def _turn(tracker: DialogueStateTracker, text: str) -> None:
    tracker.update(UserUttered(text))
    tracker.update(ActionExecuted("action_answer_faq"))
    tracker.update(BotUttered(f"answer to {text}"))
    tracker.update(ActionExecuted("action_listen"))


def _stored_texts(store: Store, sender: str) -> list[str]:
    with store.session_scope() as session:
        rows = store._event_query(session, sender, True).all()
    return [row.data for row in rows if row.type_name == "user"]


async def test_an_outage_keeps_the_conversation_and_logs_once(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    working = store.engine
    tracker = DialogueStateTracker("visitor", slots=[])
    _turn(tracker, "what is it?")
    await store.save(tracker)

    _point_at(store, sa.create_engine(f"postgresql://x@127.0.0.1:{held_port()}/x"))
    with caplog.at_level(logging.INFO, logger="bot.server.outage"):
        for text in ("is it legal?", SECRET_TEXT, "how long does it take?"):
            tracker = await store.retrieve("visitor")
            _turn(tracker, text)
            await store.save(tracker)

    # The conversation went on from memory, every turn kept in order.
    in_memory = await store.retrieve("visitor")
    user_texts = [e.text for e in in_memory.events if isinstance(e, UserUttered)]
    assert user_texts == [
        "what is it?",
        "is it legal?",
        SECRET_TEXT,
        "how long does it take?",
    ]
    outage_logs = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outage_logs) == 1
    assert "Jane" not in caplog.text
    assert store.unsaved_conversations == 1

    # The database is back: the next save writes what it missed.
    _point_at(store, working)
    with caplog.at_level(logging.INFO, logger="bot.server.outage"):
        tracker = await store.retrieve("visitor")
        _turn(tracker, "thanks")
        await store.save(tracker)
    assert "reachable again" in caplog.text
    stored = _stored_texts(store, "visitor")
    assert len(stored) == 5
    assert '"how long does it take?"' in stored[3] and '"thanks"' in stored[4]
    assert store.unsaved_conversations == 0


async def test_conversations_kept_in_memory_are_written_when_the_database_returns(
    store: Store,
) -> None:
    working = store.engine
    _point_at(store, sa.create_engine(f"postgresql://x@127.0.0.1:{held_port()}/x"))
    for sender in ("first", "second"):
        tracker = DialogueStateTracker(sender, slots=[])
        _turn(tracker, f"question from {sender}")
        await store.save(tracker)
    assert store.unsaved_conversations == 2

    # Someone else's message is the first to reach the database again.
    _point_at(store, working)
    assert await store.retrieve("third") is None
    assert store.unsaved_conversations == 0
    assert len(_stored_texts(store, "first")) == 1
    assert len(_stored_texts(store, "second")) == 1


async def test_a_new_conversation_during_an_outage_starts_fresh(
    store: Store,
) -> None:
    _point_at(store, sa.create_engine(f"postgresql://x@127.0.0.1:{held_port()}/x"))
    assert await store.retrieve("newcomer") is None
    assert await store.retrieve_full_tracker("newcomer") is None


async def test_memory_keeps_the_newest_saved_and_every_unsaved_conversation(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.server.outage.RECENT_CONVERSATIONS", 2)
    working = store.engine
    _point_at(store, sa.create_engine(f"postgresql://x@127.0.0.1:{held_port()}/x"))
    for sender in ("w1", "w2", "w3"):
        waiting = DialogueStateTracker(sender, slots=[])
        _turn(waiting, "asked during the outage")
        await store.save(waiting)
    # Over the limit, but nothing unsaved is forgotten.
    assert list(store._recent) == ["w1", "w2", "w3"]
    _point_at(store, working)
    for sender in ("a", "b", "c"):
        tracker = DialogueStateTracker(sender, slots=[])
        _turn(tracker, "hello")
        await store.save(tracker)
    # The first successful save wrote the waiting ones; afterwards only the two
    # newest conversations stay in memory.
    assert list(store._recent) == ["b", "c"]
    assert store.unsaved_conversations == 0
