"""Feedback on vetted answers: request checks, storage, the HTTP answers."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.channels.turns import respond_to_message_request
from bot.channels.widget import WholeMessageCollector, WidgetInput
from bot.store.database import session_factory
from bot.store.feedback import (
    MAX_BODY_BYTES,
    Feedback,
    FeedbackError,
    FeedbackRecord,
    feedback_from_body,
    record_feedback,
)

VALID = {"sender": "web-abc", "topic": "fda", "version": 2, "helpful": True}


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
        (_body(sender="x" * 256), "'sender'"),
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


def test_create_schema_makes_the_feedback_table(engine):
    from sqlalchemy import inspect

    assert "answer_feedback" in inspect(engine).get_table_names()


async def test_endpoint_answers_400_with_a_json_error_for_bad_requests():
    answer = await WidgetInput().handle_feedback(b"{oops")
    assert answer.status == 400
    body = json.loads(answer.body)
    assert body["error"].startswith("Invalid feedback: ")
    assert body["problems"] == ["The request body is not valid JSON."]

    answer = await WidgetInput().handle_feedback(_body(version=...))
    assert answer.status == 400
    assert "version" in json.loads(answer.body)["error"]


async def test_endpoint_stores_feedback_off_the_event_loop(monkeypatch, tmp_path):
    database = tmp_path / "feedback.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    answer = await WidgetInput().handle_feedback(_body())
    assert answer.status == 201
    assert json.loads(answer.body) == {"status": "recorded", "id": 1}
    import sqlite3

    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT sender_id, topic, version, helpful FROM answer_feedback"
        ).fetchall()
    assert rows == [("web-abc", "fda", 2, 1)]


async def test_endpoint_answers_503_when_the_database_fails(monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(feedback):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr("bot.channels.widget.store_feedback", broken)
    answer = await WidgetInput().handle_feedback(_body())
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
    assert received == [("web-1", "hi", "widget")]

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
