"""After crisis lines: the kept question is answered, answers carry 988."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.answer_faq import ActionAnswerFaq
from actions.answer_pending_question import (
    ActionAnswerPendingQuestion,
    checked_in_message,
)
from bot.answers.safety_replies import CRISIS_REMINDER


def _checked_in(
    question_intent: str | None,
    check_in_intent: str = "crisis_check_in",
    spanish: bool = False,
) -> Tracker:
    """A check-in on a message that held `question_intent`, then a "no"."""
    check_in = {
        "text": "so worn out, how long is a session",
        "intent": {"name": check_in_intent, "confidence": 1.0},
        "entities": [],
        "safety": {"risk": 0.3, "spanish": spanish, "question_intent": question_intent},
    }
    deny = {"text": "/deny", "intent": {"name": "deny", "confidence": 1.0}}
    events = [
        {"event": "user", "text": check_in["text"], "parse_data": check_in},
        {"event": "bot", "text": "I want to check on you."},
        {"event": "user", "text": "/deny", "parse_data": deny},
    ]
    return Tracker(
        sender_id="test-user",
        slots={"crisis_support_shown": True},
        latest_message=deny,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def test_the_question_of_the_checked_in_message_is_found():
    checked_in = checked_in_message(_checked_in("faq_session_length").events)
    assert checked_in["question_intent"] == "faq_session_length"
    assert checked_in_message([]) == {}


def test_the_question_of_a_spanish_check_in_is_found():
    tracker = _checked_in("faq_session_length", "crisis_check_in_spanish")
    checked_in = checked_in_message(tracker.events)
    assert checked_in["question_intent"] == "faq_session_length"


async def test_no_to_the_check_in_answers_the_kept_question(lookup, dispatcher):
    events = await ActionAnswerPendingQuestion(lookup).run(
        dispatcher, _checked_in("faq_session_length"), {}
    )
    [message] = dispatcher.messages
    assert message["custom"]["vetted_answer"]["topic"] == "session_length"
    assert message["text"].endswith(CRISIS_REMINDER)
    assert events == [SlotSet("last_topic", "session_length")]


async def test_no_to_the_check_in_without_a_question_asks_what_they_want(
    lookup, dispatcher
):
    events = await ActionAnswerPendingQuestion(lookup).run(
        dispatcher, _checked_in("out_of_scope"), {}
    )
    [message] = dispatcher.messages
    assert "What would you like to know" in message["text"]
    assert message["text"].endswith(CRISIS_REMINDER) and message["buttons"]
    assert events == []


async def test_answers_after_crisis_lines_end_with_the_988_reminder(
    lookup, dispatcher, make_tracker
):
    tracker = make_tracker("faq_dose", slots={"crisis_support_shown": True})
    await ActionAnswerFaq(lookup).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"].endswith(CRISIS_REMINDER)


async def test_answers_without_crisis_lines_have_no_reminder(
    lookup, dispatcher, make_tracker
):
    await ActionAnswerFaq(lookup).run(dispatcher, make_tracker("faq_dose"), {})
    assert CRISIS_REMINDER not in dispatcher.messages[0]["text"]


async def test_no_to_the_spanish_check_in_without_a_question_answers_in_spanish(
    lookup, dispatcher
):
    tracker = _checked_in(None, "crisis_check_in_spanish", spanish=True)
    events = await ActionAnswerPendingQuestion(lookup).run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert "solo en inglés" in message["text"]
    assert "988 y marca 2" in message["text"] and "AYUDA" in message["text"]
    assert message["buttons"] and events == []
