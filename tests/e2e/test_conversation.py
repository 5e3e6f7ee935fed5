"""End to end: the real Rasa server and action server, questions over HTTP."""

from __future__ import annotations

import sqlite3
import uuid

from bot.content import read_content_file
from bot.disclaimer import build_disclaimer
from bot.server.channels.senders import conversation_id
from bot.settings import DEFAULT_CONTENT_FILE

ANSWERS = {answer.topic: answer for answer in read_content_file(DEFAULT_CONTENT_FILE)}


def _texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def _vetted(replies: list[dict]) -> dict:
    return next(r["custom"]["vetted_answer"] for r in replies if "custom" in r)


def _sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:8]}"


def test_faq_question_gets_answer_sources_and_disclaimer(bot):
    replies = bot.send("is mdma therapy approved by the fda yet?", sender=_sender())
    text = _texts(replies)
    assert ANSWERS["fda"].text in text
    assert "Sources:" in text and ANSWERS["fda"].sources[0].title in text
    assert build_disclaimer() in text
    vetted = _vetted(replies)
    assert vetted["topic"] == "fda" and vetted["sources"]


def test_follow_up_uses_the_previous_answer(bot):
    sender = _sender()
    first = bot.send("what is mdma assisted therapy", sender=sender)
    assert _vetted(first)["topic"] == "definition"
    follow_up = bot.send("how long does it take?", sender=sender)
    assert _vetted(follow_up)["topic"] == "course_length"
    assert build_disclaimer() in _texts(follow_up)


def test_crisis_message_gets_crisis_lines_and_nothing_else(bot):
    sender = _sender()
    bot.send("what are the side effects", sender=sender)
    replies = bot.send("honestly i just want to end it all", sender=sender)
    text = _texts(replies)
    assert "988" in text and "741741" in text and "911" in text
    assert not any("custom" in reply for reply in replies)
    assert "Sources:" not in text


def test_off_topic_question_is_declined(bot):
    replies = bot.send("what's the weather in boston tomorrow", sender=_sender())
    text = _texts(replies)
    assert "only answer questions about MDMA-assisted therapy" in text
    assert "Sources:" not in text


def test_conversation_is_stored_in_the_sql_tracker_store(bot):
    sender = _sender()
    bot.send("hello", sender=sender)
    database = bot.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (f"rest:{sender}",)
        ).fetchone()
    assert rows[0] > 0


def test_every_reply_is_non_empty(bot):
    sender = _sender()
    for message in [
        "hi",
        "are you a bot?",
        "what can you do",
        "can i talk to a human",
        "thanks",
        "bye",
    ]:
        replies = bot.send(message, sender=sender)
        assert replies and all(
            r.get("text", "").strip() or r.get("custom") for r in replies
        ), message


def test_rest_answer_and_disclaimer_arrive_in_one_message(bot):
    # Rasa's own REST channel cuts a text at blank lines; a client showing
    # only the first message would lose the disclaimer.
    for question, topic in [
        ("is mdma therapy approved by the fda yet?", "fda"),
        ("what dose of mdma do they use in the trials", "dose"),
    ]:
        replies = bot.send(question, sender=_sender())
        with_answer = [r for r in replies if ANSWERS[topic].text in r.get("text", "")]
        assert len(with_answer) == 1, replies
        assert build_disclaimer() in with_answer[0]["text"]
        assert with_answer[0] is replies[0]


def test_questions_beyond_the_article_land_on_their_topic(bot):
    for question, topic in [
        ("is it legal in Australia?", "status_outside_us"),
        ("which PTSD medicines did the FDA approve?", "other_treatments"),
    ]:
        replies = bot.send(question, sender=_sender())
        assert _vetted(replies)["topic"] == topic, question
        assert build_disclaimer() in replies[0]["text"]


def test_a_question_without_a_vetted_answer_says_so_and_is_recorded(bot):
    sender = _sender()
    replies = bot.send("how much does mdma therapy cost?", sender=sender)
    text = _texts(replies)
    assert text.startswith("I don't have a vetted answer to that yet.")
    assert ANSWERS["dose"].text not in text and " mg" not in text
    assert {b["payload"] for b in replies[0]["buttons"]} >= {"/faq_access"}
    database = bot.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT intent FROM unanswered_questions WHERE sender_id = ?",
            (conversation_id("rest", sender),),
        ).fetchall()
    assert rows == [("faq_not_covered",)]


def test_ok_after_an_answer_is_acknowledged(bot):
    sender = _sender()
    bot.send("what are the side effects", sender=sender)
    replies = bot.send("got it", sender=sender)
    text = _texts(replies)
    assert "anything else" in text and "Sources:" not in text
    replies = bot.send("who are you?", sender=sender)
    assert "automated assistant" in _texts(replies)
