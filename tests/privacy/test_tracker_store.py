"""The tracker store writes redacted events and records unanswered questions,
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time

import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, UserUttered

from bot.db.tables import UnansweredQuestion
from tests.privacy.conversations import (
    Turn,
    count,
    make_store,
    save_conversation,
    session,
)

MESSAGE = "my name is John Smith, email john@example.com, can MDMA therapy help PTSD?"


def _stored(store, sender_id: str) -> list[dict]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": sender_id},
        ).scalars()
        return [json.loads(row) for row in rows]


async def test_events_table_holds_only_redacted_text(database_url, monkeypatch):
    store = make_store(database_url, monkeypatch)
    events = session(
        time.time(), [Turn(MESSAGE, "faq_ptsd", "action_answer_faq", "ptsd")]
    )
    await save_conversation(store, "person-1", events)

    stored = _stored(store, "person-1")
    raw = json.dumps(stored)
    assert "john@example.com" not in raw and "John Smith" not in raw
    user = next(event for event in stored if event["event"] == "user")
    expected = "my name is [NAME], email [EMAIL], can MDMA therapy help PTSD?"
    assert user["text"] == expected
    assert user["parse_data"]["text"] == expected
    assert user["parse_data"]["intent"]["name"] == "faq_ptsd"
    with store.engine.connect() as connection:
        intents = (
            connection.execute(
                sa.text("SELECT intent_name FROM events WHERE type_name = 'user'")
            )
            .scalars()
            .all()
        )
    assert intents == ["faq_ptsd"]
    # The conversation still loads, with the redacted text.
    tracker = await store.retrieve("person-1")
    assert tracker.latest_message.text == expected


async def test_only_new_events_are_added_on_the_next_turn(database_url, monkeypatch):
    store = make_store(database_url, monkeypatch)
    now = time.time()
    await save_conversation(
        store, "person-2", session(now, [Turn("hello", "greet", "utter_greet")])
    )
    before = count(store.engine, "events", "person-2")
    tracker = await store.retrieve("person-2")
    tracker.update(
        UserUttered(
            "call me on 415-555-0199",
            intent={"name": "nlu_fallback", "confidence": 0.3},
            timestamp=now + 100,
            input_channel="widget",
        )
    )
    tracker.update(ActionExecuted("action_clarify_topic", timestamp=now + 101))
    await store.save(tracker)

    assert count(store.engine, "events", "person-2") == before + 2
    assert "415-555-0199" not in json.dumps(_stored(store, "person-2"))


async def test_fallback_and_out_of_scope_messages_are_recorded(
    database_url, monkeypatch
):
    store = make_store(database_url, monkeypatch)
    start = time.time()
    turns = [
        Turn(
            "what is mdma therapy", "faq_definition", "action_answer_faq", "definition"
        ),
        Turn(
            "I'm Sarah from Denver, what about ibogaine?",
            "nlu_fallback",
            "action_clarify_topic",
            channel="widget",
        ),
        Turn("what's the weather in boston", "out_of_scope", "action_explain_scope"),
        Turn("I want to die", "crisis", "utter_crisis_help"),
    ]
    await save_conversation(store, "person-3", session(start, turns))

    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(UnansweredQuestion.__table__).order_by(UnansweredQuestion.id)
        ).all()
    assert [(r.intent, r.channel, r.sender_id) for r in rows] == [
        ("nlu_fallback", "widget", "person-3"),
        ("out_of_scope", "rest", "person-3"),
    ]
    assert rows[0].text == "I'm [NAME] from [LOCATION], what about ibogaine?"
    assert rows[1].text == "what's the weather in [LOCATION]"
    asked_at = rows[0].asked_at.replace(tzinfo=None)
    expected = time.gmtime(start + 1 + 60)
    assert asked_at.timetuple()[:6] == expected[:6]


async def test_an_event_broker_gets_redacted_events(database_url, monkeypatch):
    store = make_store(database_url, monkeypatch)
    published = []

    class Broker:
        def publish(self, event):
            published.append(event)

    store.event_broker = Broker()
    await save_conversation(
        store,
        "person-4",
        session(time.time(), [Turn(MESSAGE, "faq_ptsd", "action_answer_faq", "ptsd")]),
    )
    user = [event for event in published if event["event"] == "user"]
    assert user and all(event["sender_id"] == "person-4" for event in published)
    assert "john@example.com" not in json.dumps(published)
    assert "[EMAIL]" in user[0]["text"]
