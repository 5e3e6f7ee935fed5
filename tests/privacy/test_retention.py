"""Retention (`purge-old`) and erasure (`erase-sender`) on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest
from rasa.shared.core.events import ActionExecuted, UserUttered

from bot.ops import cli
from bot.ops.retention import erase_sender, expired_sessions, purge_old
from tests.privacy.conversations import (
    DAY,
    Turn,
    add_feedback,
    count,
    make_store,
    save_conversation,
    session,
)

HELLO = Turn("hello", "greet", "utter_greet")
UNCLEAR = Turn("blorp?", "nlu_fallback", "action_clarify_topic")
ANSWER = Turn(
    "what is mdma therapy", "faq_definition", "action_answer_faq", "definition"
)


async def _seed(store, now: float) -> dict[str, int]:
    """Four senders around a 30-day cut-off; returns events per old session."""
    old = session(now - 40 * DAY, [HELLO, UNCLEAR])
    await save_conversation(store, "old", old)
    mixed_old = session(now - 45 * DAY, [ANSWER, UNCLEAR])
    await save_conversation(
        store, "mixed", mixed_old + session(now - 1 * DAY, [HELLO, UNCLEAR])
    )
    await save_conversation(store, "recent", session(now - 2 * DAY, [ANSWER]))
    # One session that began before the cut-off and is still going on after it.
    await save_conversation(
        store, "ongoing", session(now - 31 * DAY, [HELLO, ANSWER], gap=2 * DAY)
    )
    add_feedback(
        store.engine,
        [
            ("old", "definition", 1, True, now - 40 * DAY),
            ("recent", "definition", 1, False, now - 2 * DAY),
        ],
    )
    return {"old": len(old), "mixed": len(mixed_old)}


async def test_purge_old_deletes_only_conversations_past_retention(
    database_url, monkeypatch
):
    store = make_store(database_url, monkeypatch)
    now = time.time()
    old_events = await _seed(store, now)
    kept = {s: count(store.engine, "events", s) for s in ("recent", "ongoing")}
    mixed_before = count(store.engine, "events", "mixed")

    removed = purge_old(store.engine, days=30, now=now)

    assert removed.events == old_events["old"] + old_events["mixed"]
    assert removed.unanswered_questions == 2  # "old" and the old "mixed" session
    assert removed.feedback == 1
    assert count(store.engine, "events", "old") == 0
    assert count(store.engine, "events", "mixed") == mixed_before - old_events["mixed"]
    assert {s: count(store.engine, "events", s) for s in kept} == kept
    assert count(store.engine, "unanswered_questions", "mixed") == 1
    assert count(store.engine, "answer_feedback") == 1
    # Nothing left to purge.
    assert purge_old(store.engine, days=30, now=now).total == 0


async def test_a_purged_conversation_goes_on_normally(database_url, monkeypatch):
    store = make_store(database_url, monkeypatch)
    now = time.time()
    await _seed(store, now)
    purge_old(store.engine, days=30, now=now)

    tracker = await store.retrieve("mixed")
    before = count(store.engine, "events", "mixed")
    tracker.update(
        UserUttered(
            "thanks", intent={"name": "thank", "confidence": 1.0}, timestamp=now
        )
    )
    tracker.update(ActionExecuted("utter_youre_welcome", timestamp=now + 0.1))
    await store.save(tracker)
    assert count(store.engine, "events", "mixed") == before + 2


async def test_erase_sender_removes_every_record_of_one_sender(
    database_url, monkeypatch
):
    store = make_store(database_url, monkeypatch)
    now = time.time()
    await _seed(store, now)
    others = {s: count(store.engine, "events", s) for s in ("old", "recent", "ongoing")}
    events = count(store.engine, "events", "mixed")

    removed = erase_sender(store.engine, "mixed")

    assert (removed.events, removed.unanswered_questions, removed.feedback) == (
        events,
        2,
        0,
    )
    assert count(store.engine, "events", "mixed") == 0
    assert count(store.engine, "unanswered_questions", "mixed") == 0
    assert {s: count(store.engine, "events", s) for s in others} == others
    assert erase_sender(store.engine, "recent").feedback == 1
    assert count(store.engine, "answer_feedback", "old") == 1
    assert erase_sender(store.engine, "mixed").total == 0


def test_erasure_and_purge_work_without_any_table(database_url):
    from bot.db.engine import create_db_engine

    engine = create_db_engine(database_url)
    assert erase_sender(engine, "anyone").total == 0
    assert purge_old(engine, days=30).total == 0


def test_retention_period_must_be_positive(database_url):
    from bot.db.engine import create_db_engine

    with pytest.raises(ValueError):
        purge_old(create_db_engine(database_url), days=0)


def test_sessions_expire_on_their_last_event():
    rows = [
        (1, "action", "action_session_start", 10.0),
        (2, "session_started", None, 10.1),
        (3, "user", None, 50.0),
        (4, "action", "action_listen", 99.0),
        (5, "action", "action_session_start", 120.0),
        (6, "session_started", None, 120.1),
        (7, "user", None, 150.0),
        (8, "session_started", None, 200.0),
        (9, "user", None, 210.0),
    ]
    # The first session ends at 99 and the second at 150: both before 160.
    assert list(expired_sessions(rows, cutoff=160.0)) == [1, 2, 3, 4, 5, 6, 7]
    assert list(expired_sessions(rows, cutoff=100.0)) == [1, 2, 3, 4]
    assert list(expired_sessions(rows, cutoff=99.0)) == []
    assert list(expired_sessions(rows, cutoff=300.0)) == list(range(1, 10))


async def test_commands_say_how_many_records_they_removed(
    database_url, monkeypatch, capsys
):
    store = make_store(database_url, monkeypatch)
    now = time.time()
    old_events = await _seed(store, now)
    monkeypatch.setenv("RETENTION_DAYS", "30")

    assert cli.main(["purge-old"]) == 0
    total = old_events["old"] + old_events["mixed"] + 2 + 1
    assert f"Older than 30 days: {total} records removed" in capsys.readouterr().out

    recent = count(store.engine, "events", "recent")
    assert cli.main(["erase-sender", "recent"]) == 0
    output = capsys.readouterr().out
    assert f"Sender 'recent': {recent + 1} records removed" in output
    assert f"{recent} conversation events" in output


def test_purge_refuses_a_bad_retention_setting(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.setenv("RETENTION_DAYS", "none")
    assert cli.main(["purge-old"]) == 2
    assert "RETENTION_DAYS" in capsys.readouterr().err
