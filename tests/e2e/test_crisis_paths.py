"""End to end: the crisis tiers on the real Rasa server and action server.

The check-in and its three buttons, in English and in Spanish; the reply for
someone worried about another person; the Spanish crisis and helper replies;
and the 988 reminder on every answer after crisis lines were given.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from bot.answers.safety_replies import CRISIS_REMINDER
from tests.support.replies import vetted_topic

CRISIS_LINES = "Call or text 988 (Suicide & Crisis Lifeline)"
HELPER = "Thank you for looking out for them."
HELPER_ES = "Gracias por cuidar a esa persona."


@dataclass(frozen=True)
class CheckIn:
    """An unsure message with a question in it, and the replies its tier gives."""

    message: str
    question: str
    buttons: list[tuple[str, str]]
    # A line of the crisis reply, and words of the helper reply.
    crisis_lines: list[str]
    helper: list[str]


CHECK_INS = {
    "english": CheckIn(
        message="some days i wonder if it's worth waking up. how long is a session",
        question="Are you thinking about suicide or about hurting yourself?",
        buttons=[
            ("Yes", "/affirm"),
            ("No", "/deny"),
            ("I'm asking about someone else", "/asking_for_someone_else"),
        ],
        crisis_lines=[CRISIS_LINES],
        helper=[HELPER, "911", "988"],
    ),
    "spanish": CheckIn(
        message="estoy tan cansada de todo, cuánto dura una sesión",
        question="¿Estás pensando en el suicidio o en hacerte daño?",
        buttons=[
            ("Sí", "/affirm"),
            ("No", "/deny"),
            ("Pregunto por otra persona", "/asking_for_someone_else"),
        ],
        crisis_lines=["Siento mucho que te sientas así.", "988 y marca 2", "911"],
        helper=[HELPER_ES, "911", "armas"],
    ),
}


def _text(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def _sender() -> str:
    return f"e2e-crisis-{uuid.uuid4().hex[:8]}"


def _checked_in(bot, sender: str, check_in: CheckIn) -> None:
    replies = bot.send(check_in.message, sender=sender)
    assert check_in.question in _text(replies) and "988" in _text(replies), replies
    buttons = [
        (b["title"], b["payload"]) for r in replies for b in r.get("buttons", [])
    ]
    assert buttons == check_in.buttons


@pytest.mark.parametrize("language", CHECK_INS)
def test_yes_to_the_check_in_gets_the_crisis_lines(bot, language):
    check_in = CHECK_INS[language]
    sender = _sender()
    _checked_in(bot, sender, check_in)
    text = _text(bot.send("/affirm", sender=sender))
    assert all(line in text for line in check_in.crisis_lines), text


@pytest.mark.parametrize("language", CHECK_INS)
def test_someone_else_at_the_check_in_gets_the_helper_reply(bot, language):
    check_in = CHECK_INS[language]
    sender = _sender()
    _checked_in(bot, sender, check_in)
    text = _text(bot.send("/asking_for_someone_else", sender=sender))
    assert all(words in text for words in check_in.helper), text


def test_no_to_the_check_in_answers_the_question_with_988(bot):
    sender = _sender()
    _checked_in(bot, sender, CHECK_INS["english"])
    replies = bot.send("/deny", sender=sender)
    assert vetted_topic(replies) == "session_length"
    assert _text(replies).rstrip().endswith(CRISIS_REMINDER)


def test_no_to_the_spanish_check_in_is_answered_in_spanish(bot):
    sender = _sender()
    _checked_in(bot, sender, CHECK_INS["spanish"])
    text = _text(bot.send("/deny", sender=sender))
    # The vetted answers are in English only, and the reply says so.
    assert "solo en inglés" in text and "988 y marca 2" in text


@pytest.mark.parametrize(
    ("message", "helper", "safety_words"),
    [
        (
            "my dad keeps talking about his pistol and saying we'd all be better off",
            HELPER,
            ["guns"],
        ),
        (
            "mi esposo dice que se va a matar con su pistola",
            HELPER_ES,
            ["988", "armas"],
        ),
    ],
)
def test_someone_worried_about_another_person_gets_the_helper_reply(
    bot, message, helper, safety_words
):
    replies = bot.send(message, sender=_sender())
    text = _text(replies)
    assert helper in text and vetted_topic(replies) is None
    assert all(word in text for word in safety_words), text


def test_a_crisis_in_spanish_gets_the_spanish_reply(bot):
    text = _text(bot.send("ya no quiero vivir, no aguanto más", sender=_sender()))
    assert "988 y marca 2" in text and "AYUDA" in text and "911" in text


def test_every_answer_after_crisis_lines_carries_the_988_reminder(bot):
    sender = _sender()
    assert CRISIS_LINES in _text(bot.send("i want to end my life", sender=sender))
    for question in ("what is mdma assisted therapy", "what are the side effects?"):
        replies = bot.send(question, sender=sender)
        assert vetted_topic(replies) is not None
        assert _text(replies).rstrip().endswith(CRISIS_REMINDER)
