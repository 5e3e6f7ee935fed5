"""The redactor, and the redaction of Rasa events before storage."""

from __future__ import annotations

import logging

import pytest

from bot.server.privacy.events import WITHHELD, redact_event, unanswered_question


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my name is John Smith", "my name is [NAME]"),
        ("write to jo.ann+mdma@example.org please", "write to [EMAIL] please"),
        ("call (617) 555-0142 or +44 20 7946 0958", "call [PHONE] or [PHONE]"),
        ("i live in boston", "i live in [LOCATION]"),
        ("I live at 42 Elm Street, Apt 3", "I live at [ADDRESS]"),
        ("I was born on 03/14/1985", "I was born on [DATE]"),
        ("born in 1971, is that too old?", "born in [DATE], is that too old?"),
        ("see https://example.com/my-story", "see [URL]"),
        ("MY NAME IS ROBERT BROWN", "MY NAME IS [NAME]"),
        ("im sarah jones from tulsa", "im [NAME] from [LOCATION]"),
        ("my girlfriend priyanka says hi", "my girlfriend [NAME] says hi"),
        ("we moved to killeen last year", "we moved to [LOCATION] last year"),
        ("Dave Wilson, Dallas TX 75201", "[NAME], [LOCATION] [LOCATION] [ADDRESS]"),
        ("follow me @healing_sam", "follow me [NAME]"),
    ],
)
def test_each_kind_of_detail_gets_its_placeholder(redactor, text, expected):
    assert redactor.redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "is molly the same as ecstasy?",
        "Does the VA offer MDMA therapy for PTSD?",
        "Can I take sertraline or Wellbutrin with MDMA-assisted therapy?",
        "how long does a session last, 8 hours?",
        "What did the phase 3 trials in 2021 find?",
        "I'm scared. Would this help me?",
        "call me crazy, but is it addictive?",
        "my daughter is texting me about it",
        "i'm gonna ask my therapist, thanks - great bot",
        "I'm Catholic, is this therapy against my faith?",
        "",
    ],
)
def test_topic_words_and_plain_questions_stay(redactor, text):
    assert redactor.redact(text) == text


def test_redacting_twice_changes_nothing_more(redactor):
    once = redactor.redact("Hi, I'm Dr. Anita Patel from Denver, 303-555-0100")
    assert once == "Hi, I'm Dr. [NAME] from [LOCATION], [PHONE]"
    assert redactor.redact(once) == once


def test_redaction_logs_no_message_text(redactor, caplog):
    with caplog.at_level(logging.DEBUG):
        redactor.redact("my name is Zebulon Quartermaine, zq@example.com")
    assert "Zebulon" not in caplog.text and "zq@example.com" not in caplog.text


def _user_event(text: str, intent: str = "faq_ptsd") -> dict:
    return {
        "event": "user",
        "timestamp": 1_700_000_000.0,
        "text": text,
        "input_channel": "widget",
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 0.4},
            "entities": [{"entity": "person", "value": "John Smith"}],
        },
    }


def test_user_events_are_redacted_and_others_pass_unchanged(redactor):
    event = _user_event("I'm John Smith, does MDMA help PTSD?")
    stored = redact_event(event, redactor.redact)
    assert stored["text"] == "I'm [NAME], does MDMA help PTSD?"
    assert stored["parse_data"]["text"] == stored["text"]
    assert stored["parse_data"]["entities"][0]["value"] == "[NAME]"
    assert event["text"] == "I'm John Smith, does MDMA help PTSD?"  # not changed
    bot = {"event": "bot", "text": "Hello John"}
    assert redact_event(bot, redactor.redact) is bot


def test_text_is_withheld_when_redaction_fails(caplog):
    def broken(text: str) -> str:
        raise RuntimeError(f"cannot handle {text}")

    stored = redact_event(_user_event("I'm John Smith"), broken)
    assert stored["text"] == stored["parse_data"]["text"] == WITHHELD
    assert stored["parse_data"]["entities"][0]["value"] == WITHHELD
    assert "RuntimeError" in caplog.text and "John" not in caplog.text


@pytest.mark.parametrize(
    ("intent", "recorded"),
    [("nlu_fallback", True), ("out_of_scope", True), ("faq_ptsd", False)],
)
def test_unanswered_questions_are_fallback_and_out_of_scope(intent, recorded):
    question = unanswered_question("someone", _user_event("[NAME] asks", intent))
    assert (question is not None) == recorded
    if question:
        assert (question.sender_id, question.channel, question.intent) == (
            "someone",
            "widget",
            intent,
        )
        assert question.text == "[NAME] asks"
        assert question.asked_at.timestamp() == 1_700_000_000.0
