"""Checked chat turns: bad requests, unusable text, and never-silent replies."""

from __future__ import annotations

import json

import pytest
from rasa.core.channels.channel import CollectingOutputChannel

from bot.disclaimer import build_disclaimer
from bot.server.channels.turns import (
    BadRequestError,
    read_message_request,
    reply_to_unusable_text,
    respond_to_message_request,
    run_turn,
)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "not valid JSON"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00binary", "not valid JSON"),
        (b'["a", "list"]', "JSON object"),
        (b'{"message": "hi"}', '"sender"'),
        (b'{"sender": "", "message": "hi"}', '"sender"'),
        (b'{"sender": 42, "message": "hi"}', '"sender"'),
        (json.dumps({"sender": "x" * 129, "message": "hi"}).encode(), "1 to 128"),
        (b'{"sender": "jane@example.org", "message": "hi"}', '"sender"'),
        (b'{"sender": "+1 415 555 0199", "message": "hi"}', '"sender"'),
        (b'{"sender": "a b", "message": "hi"}', '"sender"'),
        (b'{"sender": "x\'; echo INJECTED", "message": "hi"}', '"sender"'),
        (b'{"sender": "a"}', '"message" must be a string'),
        (b'{"sender": "a", "message": null}', '"message" must be a string'),
        (b'{"sender": "a", "message": {"text": "hi"}}', '"message" must be a string'),
    ],
)
def test_malformed_requests_are_refused_with_a_reason(body, problem):
    with pytest.raises(BadRequestError, match=problem):
        read_message_request(body)


def test_good_request_is_read_and_control_characters_dropped():
    body = json.dumps({"sender": "s1", "message": "is it\x00 safe?\x07\n"}).encode()
    assert read_message_request(body) == ("s1", "is it safe?\n")


def test_emoji_and_other_languages_pass_through():
    body = json.dumps({"sender": "s", "message": "¿Es segura? 🙏 مرحبا"}).encode()
    assert read_message_request(body)[1] == "¿Es segura? 🙏 مرحبا"


def test_empty_and_too_long_messages_get_polite_replies():
    assert "didn't get any words" in reply_to_unusable_text("   \n", 2000).text
    too_long = reply_to_unusable_text("a" * 2001, 2000).text
    assert "too long" in too_long and "988" in too_long
    assert reply_to_unusable_text("what is mdma therapy", 2000) is None


async def test_turn_that_fails_gets_apology_with_crisis_line_and_disclaimer():
    async def failing(_message):
        raise RuntimeError("action server down")

    replies = await run_turn(failing, CollectingOutputChannel(), "hi", "s", "rest")
    assert len(replies) == 1
    assert "988" in replies[0]["text"] and build_disclaimer() in replies[0]["text"]


async def test_turn_with_no_reply_is_never_silent():
    async def silent(_message):
        return None

    replies = await run_turn(silent, CollectingOutputChannel(), "hi", "s", "rest")
    assert replies and replies[0]["recipient_id"] == "s"


async def test_turn_with_replies_returns_them_unchanged():
    async def answering(message):
        await message.output_channel.send_text_message(message.sender_id, "Hello!")

    replies = await run_turn(answering, CollectingOutputChannel(), "hi", "s", "rest")
    assert replies == [{"recipient_id": "s", "text": "Hello!"}]


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("/faq_access", "/faq_access"),
        ("  /faq_side_effects \n", "/faq_side_effects"),
        (
            "/help I am Jane Roe, call 415-555-0199",
            "help I am Jane Roe, call 415-555-0199",
        ),
        ('/greet{"name": "Jane Roe"}', 'greet{"name": "Jane Roe"}'),
        ('/faq_access{"topic": "x"}', 'faq_access{"topic": "x"}'),
        ("/faq_access@0.3", "faq_access@0.3"),
        ("//restart", "restart"),
        ("/", ""),
        ("what is mdma / ecstasy?", "what is mdma / ecstasy?"),
    ],
)
def test_slash_text_is_an_intent_only_as_an_exact_button_payload(typed, sent):
    body = json.dumps({"sender": "s", "message": typed}).encode()
    assert read_message_request(body)[1] == sent


async def test_conversations_are_stored_per_channel_and_answered_by_the_sent_id():
    seen = []

    async def bot(message):
        seen.append(message.sender_id)
        await message.output_channel.send_text_message(message.sender_id, "Hi.")

    for channel in ("rest", "widget"):
        answer = await respond_to_message_request(
            b'{"sender": "web-1", "message": "hi"}',
            bot,
            CollectingOutputChannel(),
            channel,
            2000,
        )
        assert json.loads(answer.body) == [{"recipient_id": "web-1", "text": "Hi."}]
    assert seen == ["rest:web-1", "widget:web-1"]
