"""Feedback on vetted answers: request checks, storage, the HTTP answers."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.db.engine import create_db_engine, session_factory
from bot.db.migrate import upgrade_to_head
from bot.db.tables import FeedbackRecord
from bot.server.channels.turns import WholeMessageCollector, respond_to_message_request
from bot.server.channels.widget import WidgetInput
from bot.server.feedback import (
    MAX_BODY_BYTES,
    Feedback,
    FeedbackError,
    feedback_from_body,
    record_feedback,
)

VALID = {"sender": "web-abc", "topic": "fda", "version": 2, "helpful": True}


@pytest.fixture
def database(monkeypatch, tmp_path):
    """DATABASE_URL on an SQLite file at the newest migration, as the Rasa
    server's tracker store leaves it when it starts."""
    path = tmp_path / "feedback.sqlite3"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    return path


def _body(**changes) -> bytes:
    payload = {**VALID, **changes}
    return json.dumps({k: v for k, v in payload.items() if v is not ...}).encode()


def test_valid_feedback_is_parsed():
    assert feedback_from_body(_body()) == Feedback("web-abc", "fda", 2, True)
    assert feedback_from_body(_body(helpful=False)).helpful is False
    assert feedback_from_body(json.dumps(VALID)).topic == "fda"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "empty"),
        (None, "empty"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"helpful"', "must be a JSON object"),
        (b"x" * (MAX_BODY_BYTES + 1), "larger than"),
        (_body(sender=...), "Missing field(s): sender"),
        (_body(topic=..., version=...), "Missing field(s): topic, version"),
        (_body(extra=1), "Unknown field(s): extra"),
        (_body(sender=""), "'sender'"),
        (_body(sender="   "), "'sender'"),
        (_body(sender=42), "'sender'"),
        (_body(sender="x" * 129), "'sender'"),
        (_body(sender="jane@example.org"), "'sender'"),
        (_body(topic="not_a_topic"), "'topic'"),
        (_body(topic=["fda"]), "'topic'"),
        (_body(version=0), "'version'"),
        (_body(version=-1), "'version'"),
        (_body(version="2"), "'version'"),
        (_body(version=2.5), "'version'"),
        (_body(version=True), "'version'"),
        (_body(version=2**31), "'version'"),
        (_body(helpful="yes"), "'helpful'"),
        (_body(helpful=1), "'helpful'"),
        (_body(helpful=None), "'helpful'"),
    ],
)
def test_malformed_feedback_is_refused_with_a_reason(body, problem):
    with pytest.raises(FeedbackError) as error:
        feedback_from_body(body)
    assert problem in str(error.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(FeedbackError) as error:
        feedback_from_body(_body(sender="", version="x", helpful="no"))
    assert len(error.value.problems) == 3


def test_feedback_is_stored_with_topic_version_sender_and_time(engine):
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    with session_factory(engine)() as session:
        first = record_feedback(session, Feedback("web-1", "fda", 2, True), now=when)
        second = record_feedback(session, Feedback("web-1", "safety", 1, False))
    assert second == first + 1
    with session_factory(engine)() as session:
        rows = session.execute(select(FeedbackRecord).order_by(FeedbackRecord.id))
        stored = [
            (r.sender_id, r.topic, r.version, r.helpful, r.created_at)
            for r in rows.scalars()
        ]
    assert stored[0] == ("web-1", "fda", 2, True, when.replace(tzinfo=None))
    assert stored[1][:4] == ("web-1", "safety", 1, False)
    assert stored[1][4] is not None


async def _answered(conversation, topic, version):
    return True


def _handle(channel, body, content_type="application/json", address="10.0.0.1"):
    return channel.handle_feedback(
        body, content_type=content_type, client_address=address, answered=_answered
    )


def test_migrations_make_the_feedback_table(engine):
    from sqlalchemy import inspect

    assert "answer_feedback" in inspect(engine).get_table_names()


async def test_endpoint_answers_400_with_a_json_error_for_bad_requests():
    answer = await _handle(WidgetInput(), b"{oops")
    assert answer.status == 400
    body = json.loads(answer.body)
    assert body["error"].startswith("Invalid feedback: ")
    assert body["problems"] == ["The request body is not valid JSON."]

    answer = await _handle(WidgetInput(), _body(version=...))
    assert answer.status == 400
    assert "version" in json.loads(answer.body)["error"]


async def test_endpoint_stores_feedback_off_the_event_loop(database):
    answer = await _handle(WidgetInput(), _body())
    assert answer.status == 201
    assert json.loads(answer.body) == {"status": "recorded", "id": 1}
    import sqlite3

    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT sender_id, topic, version, helpful FROM answer_feedback"
        ).fetchall()
    assert rows == [("widget:web-abc", "fda", 2, 1)]


async def test_endpoint_answers_503_when_the_database_fails(monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(feedback):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr("bot.server.channels.widget.store_feedback", broken)
    answer = await _handle(WidgetInput(), _body())
    assert answer.status == 503
    assert "could not be stored" in json.loads(answer.body)["error"]


async def test_widget_messages_are_checked_and_answered_whole():
    received = []

    async def bot(message):
        received.append((message.sender_id, message.text, message.input_channel))
        await message.output_channel.send_response(
            message.sender_id,
            {"text": "Answer.\n\nSources: A\n\nDisclaimer.", "custom": {"k": 1}},
        )

    def widget_turn(body: bytes):
        # What the widget's /webhook route runs: its collector, its name.
        return respond_to_message_request(
            body, bot, WholeMessageCollector(), WidgetInput.name(), 2000
        )

    answer = await widget_turn(b'{"sender": "web-1", "message": "hi"}')
    assert answer.status == 200
    assert json.loads(answer.body) == [
        {"recipient_id": "web-1", "text": "Answer.\n\nSources: A\n\nDisclaimer."},
        {"recipient_id": "web-1", "custom": {"k": 1}},
    ]
    assert received == [("widget:web-1", "hi", "widget")]

    for bad in (b"", b"nope", b"[]", b'{"message": "hi"}', b'{"sender": "a"}'):
        answer = await widget_turn(bad)
        assert answer.status == 400, bad
        assert json.loads(answer.body)["error"]
    assert len(received) == 1


async def test_bot_messages_are_not_cut_at_blank_lines():
    collector = WholeMessageCollector()
    await collector.send_text_message("web-1", "Answer.\n\nSources: A\n\nDisclaimer.")
    assert collector.messages == [
        {"recipient_id": "web-1", "text": "Answer.\n\nSources: A\n\nDisclaimer."}
    ]


def test_the_channel_is_named_widget():
    assert WidgetInput.name() == "widget"


async def test_feedback_only_on_an_answer_the_conversation_got(database):
    asked = []

    async def answered(conversation, topic, version):
        asked.append((conversation, topic, version))
        return version == 2

    channel = WidgetInput()
    forged = await channel.handle_feedback(
        _body(version=999999),
        content_type="application/json",
        client_address="a",
        answered=answered,
    )
    assert forged.status == 403 and json.loads(forged.body)["error"]
    real = await channel.handle_feedback(
        _body(), content_type="application/json", client_address="a", answered=answered
    )
    assert real.status == 201
    assert asked == [("widget:web-abc", "fda", 999999), ("widget:web-abc", "fda", 2)]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "", "application/x-www-form-urlencoded"]
)
async def test_feedback_must_be_json(content_type):
    answer = await _handle(WidgetInput(), _body(), content_type=content_type)
    assert answer.status == 415 and json.loads(answer.body)["error"]


async def test_feedback_is_rate_limited_per_sender_and_per_address(
    monkeypatch, database
):
    monkeypatch.setenv("FEEDBACK_PER_SENDER_PER_MINUTE", "3")
    monkeypatch.setenv("FEEDBACK_PER_ADDRESS_PER_MINUTE", "6")
    channel = WidgetInput()
    statuses = [(await _handle(channel, _body(), address="a")).status for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    # Other senders from the same address, up to the address's limit.
    other = [
        (await _handle(channel, _body(sender=f"web-{n}"), address="a")).status
        for n in range(3)
    ]
    assert other == [201, 201, 429]
    answer = await _handle(channel, _body(sender="web-new"), address="b")
    assert answer.status == 201
    limited = await _handle(channel, _body(sender="web-x"), address="a")
    assert json.loads(limited.body)["error"]
