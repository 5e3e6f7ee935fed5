"""End to end: the crisis tiers on the real Rasa server and action server.

The check-in and its three buttons, the reply for someone worried about
another person, the Spanish crisis reply, check-in and helper reply, and the
988 reminder on every answer after crisis lines were given.
"""

from __future__ import annotations

import uuid

from bot.answers.safety_replies import CRISIS_REMINDER
from tests.support.replies import vetted_topic

CHECK_IN = "Are you thinking about suicide or about hurting yourself?"
CRISIS_LINES = "Call or text 988 (Suicide & Crisis Lifeline)"
HELPER = "Thank you for looking out for them."
CHECK_IN_ES = "¿Estás pensando en el suicidio o en hacerte daño?"
CRISIS_LINES_ES = "Siento mucho que te sientas así."
HELPER_ES = "Gracias por cuidar a esa persona."
# An unsure message that also asks an FAQ question.
UNSURE_WITH_QUESTION = (
    "some days i wonder if it's worth waking up. how long is a session"
)


def _text(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def _sender() -> str:
    return f"e2e-crisis-{uuid.uuid4().hex[:8]}"


def _checked_in(bot, sender: str) -> list[dict]:
    replies = bot.send(UNSURE_WITH_QUESTION, sender=sender)
    assert CHECK_IN in _text(replies) and "988" in _text(replies), replies
    buttons = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert buttons == ["/affirm", "/deny", "/asking_for_someone_else"]
    return replies


def test_yes_to_the_check_in_gets_the_crisis_lines(bot):
    sender = _sender()
    _checked_in(bot, sender)
    assert CRISIS_LINES in _text(bot.send("/affirm", sender=sender))


def test_no_to_the_check_in_answers_the_question_with_988(bot):
    sender = _sender()
    _checked_in(bot, sender)
    replies = bot.send("/deny", sender=sender)
    assert vetted_topic(replies) == "session_length"
    assert _text(replies).rstrip().endswith(CRISIS_REMINDER)


def test_someone_else_at_the_check_in_gets_the_helper_reply(bot):
    sender = _sender()
    _checked_in(bot, sender)
    text = _text(bot.send("/asking_for_someone_else", sender=sender))
    assert HELPER in text and "911" in text and "988" in text


def test_someone_worried_about_another_person_gets_the_helper_reply(bot):
    replies = bot.send(
        "my dad keeps talking about his pistol and saying we'd all be better off",
        sender=_sender(),
    )
    text = _text(replies)
    assert HELPER in text and "guns" in text and vetted_topic(replies) is None


def test_a_crisis_in_spanish_gets_the_spanish_reply(bot):
    text = _text(bot.send("ya no quiero vivir, no aguanto más", sender=_sender()))
    assert "988 y marca 2" in text and "AYUDA" in text and "911" in text


def _checked_in_spanish(bot, sender: str) -> None:
    replies = bot.send(
        "estoy tan cansada de todo, cuánto dura una sesión", sender=sender
    )
    assert CHECK_IN_ES in _text(replies) and "AYUDA" in _text(replies), replies
    buttons = [
        (b["title"], b["payload"]) for r in replies for b in r.get("buttons", [])
    ]
    assert buttons == [
        ("Sí", "/affirm"),
        ("No", "/deny"),
        ("Pregunto por otra persona", "/asking_for_someone_else"),
    ]


def test_yes_to_the_spanish_check_in_gets_the_spanish_crisis_lines(bot):
    sender = _sender()
    _checked_in_spanish(bot, sender)
    text = _text(bot.send("/affirm", sender=sender))
    assert CRISIS_LINES_ES in text and "988 y marca 2" in text and "911" in text


def test_someone_else_at_the_spanish_check_in_gets_the_spanish_helper_reply(bot):
    sender = _sender()
    _checked_in_spanish(bot, sender)
    text = _text(bot.send("/asking_for_someone_else", sender=sender))
    assert HELPER_ES in text and "911" in text and "armas" in text


def test_someone_writing_in_spanish_about_another_person_gets_the_spanish_helper_reply(
    bot,
):
    replies = bot.send(
        "mi esposo dice que se va a matar con su pistola", sender=_sender()
    )
    text = _text(replies)
    assert HELPER_ES in text and "988" in text and vetted_topic(replies) is None


def test_every_answer_after_crisis_lines_carries_the_988_reminder(bot):
    sender = _sender()
    assert CRISIS_LINES in _text(bot.send("i want to end my life", sender=sender))
    for question in ("what is mdma assisted therapy", "what are the side effects?"):
        replies = bot.send(question, sender=sender)
        assert vetted_topic(replies) is not None
        assert _text(replies).rstrip().endswith(CRISIS_REMINDER)
