"""A kept tracker is reused only while it is what a database read would give.

The store is the bot's own (`DatabaseUrlTrackerStore`: cache, redaction,
Rasa's SQL store) on a real SQLite file. Each test compares what the store
returns with what a second store, which has nothing in memory, reads from
the same database.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from tests.privacy.conversations import DOMAIN, make_store

SENDER = "visitor-1"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bot.sqlite3'}"


def _turn(tracker: DialogueStateTracker, text: str, topic: str = "dose") -> None:
    intent = {"name": f"faq_{topic}", "confidence": 0.95}
    tracker.update(
        UserUttered(
            text,
            intent=intent,
            parse_data={"intent": intent, "entities": [], "text": text},
        )
    )
    tracker.update(ActionExecuted("action_answer_faq"))
    tracker.update(BotUttered(f"about {topic}"))
    tracker.update(SlotSet("last_topic", topic))
    tracker.update(ActionExecuted("action_listen"))


def _start_session(tracker: DialogueStateTracker) -> None:
    # As Rasa starts a session: its action, the event, then listening.
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))


async def _converse(store, texts: list[str]) -> DialogueStateTracker:
    for text in texts:
        tracker = await store.retrieve(SENDER) or DialogueStateTracker(
            SENDER, DOMAIN.slots
        )
        _turn(tracker, text)
        await store.save(tracker)
    return tracker


def _as_stored(tracker: DialogueStateTracker | None) -> list[dict] | None:
    return None if tracker is None else [e.as_dict() for e in tracker.events]


def _rows(database_url: str) -> int:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM events")).scalar()
    engine.dispose()
    return count


async def test_the_kept_tracker_is_reused_and_equals_a_database_read(
    database_url, monkeypatch
):
    store = make_store(database_url, monkeypatch)
    saved = await _converse(
        store, ["what dose is used", "my name is Jane Roe, how long is it"]
    )

    again = await store.retrieve(SENDER)
    fresh = await make_store(database_url, monkeypatch).retrieve(SENDER)

    assert again is saved
    assert _as_stored(again) == _as_stored(fresh)
    # The name was redacted in memory too, as the database holds it.
    texts = [e.text for e in again.events if isinstance(e, UserUttered)]
    assert texts[0] == "what dose is used"
    assert "Jane" not in texts[1] and "[NAME]" in texts[1]
    assert again.latest_message.text == texts[1]
    assert again.get_slot("last_topic") == "dose"


async def test_a_turn_written_by_another_server_is_read(database_url, monkeypatch):
    store = make_store(database_url, monkeypatch)
    other = make_store(database_url, monkeypatch)
    await _converse(store, ["what dose is used"])
    await _converse(other, ["is it legal"])

    tracker = await store.retrieve(SENDER)

    texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert texts == ["what dose is used", "is it legal"]
    await _converse(store, ["how long does it last"])
    assert _rows(database_url) == 15


async def test_an_erased_conversation_is_not_returned(database_url, monkeypatch):
    store = make_store(database_url, monkeypatch)
    await _converse(store, ["what dose is used", "is it legal"])
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": SENDER}
        )
    engine.dispose()

    assert await store.retrieve(SENDER) is None


async def test_events_deleted_from_the_middle_are_not_brought_back(
    database_url, monkeypatch
):
    # Retention deletes old rows; the newest keeps its id, the count drops.
    store = make_store(database_url, monkeypatch)
    await _converse(store, ["what dose is used", "is it legal"])
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("DELETE FROM events WHERE id IN (SELECT min(id) FROM events)")
        )
    engine.dispose()

    tracker = await store.retrieve(SENDER)
    _turn(tracker, "how long does it last")
    await store.save(tracker)

    assert _rows(database_url) == 14
    fresh = await make_store(database_url, monkeypatch).retrieve(SENDER)
    assert _as_stored(await store.retrieve(SENDER)) == _as_stored(fresh)


async def test_a_turn_that_failed_before_its_save_is_not_reused(
    database_url, monkeypatch
):
    store = make_store(database_url, monkeypatch)
    await _converse(store, ["what dose is used"])
    half_done = await store.retrieve(SENDER)
    half_done.update(UserUttered("this turn crashed before it was saved"))

    tracker = await store.retrieve(SENDER)

    assert tracker is not half_done
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [
        "what dose is used"
    ]


async def test_a_new_session_is_stored_once_and_read_as_the_database_has_it(
    database_url, monkeypatch
):
    store = make_store(database_url, monkeypatch)
    await _converse(store, ["what dose is used"])
    tracker = await store.retrieve(SENDER)
    _start_session(tracker)
    _turn(tracker, "is it legal")
    await store.save(tracker)
    await _converse(store, ["how long does it last"])

    assert _rows(database_url) == 18
    fresh = await make_store(database_url, monkeypatch).retrieve(SENDER)
    assert _as_stored(await store.retrieve(SENDER)) == _as_stored(fresh)
    texts = [e.text for e in fresh.events if isinstance(e, UserUttered)]
    assert texts == ["is it legal", "how long does it last"]


async def test_a_new_conversations_first_turn_is_kept_as_the_database_reads_it(
    database_url, monkeypatch
):
    # The first turn starts the session; a database read begins at its
    # `session_started`, without the `action_session_start` before it.
    store = make_store(database_url, monkeypatch)
    tracker = DialogueStateTracker(SENDER, DOMAIN.slots)
    _start_session(tracker)
    _turn(tracker, "what dose is used")
    await store.save(tracker)

    again = await store.retrieve(SENDER)
    fresh = await make_store(database_url, monkeypatch).retrieve(SENDER)
    assert again is tracker
    assert _as_stored(again) == _as_stored(fresh)

    _turn(again, "is it legal")
    await store.save(again)
    assert _rows(database_url) == 13
    fresh = await make_store(database_url, monkeypatch).retrieve(SENDER)
    assert _as_stored(await store.retrieve(SENDER)) == _as_stored(fresh)
