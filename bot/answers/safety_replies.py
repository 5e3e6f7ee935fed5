"""What the answering actions add after crisis lines were given.

The crisis, helper and check-in replies themselves are domain responses, so
the Rasa server sends them even when the action server is down.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.replies import Reply
from bot.topics import STARTER_TOPICS, topic_button

# Set by the Rasa server (domain slot mapping) once crisis lines were given.
CRISIS_SUPPORT_SLOT = "crisis_support_shown"
CRISIS_REMINDER = "If you need to talk to someone now, call or text 988."
CRISIS_REMINDER_ES = (
    "Si necesitas hablar con alguien, llama al 988 y marca 2, o envía AYUDA "
    "por mensaje de texto al 988."
)


def needs_crisis_reminder(slots: dict[str, Any]) -> bool:
    """Whether this conversation was given crisis lines before."""
    return bool(slots.get(CRISIS_SUPPORT_SLOT))


def with_crisis_reminder(reply: Reply, spanish: bool = False) -> Reply:
    """The reply with the one-line 988 reminder at its end (in Spanish if asked)."""
    reminder = CRISIS_REMINDER_ES if spanish else CRISIS_REMINDER
    parts = replace(reply.parts, reminder=reminder) if reply.parts else None
    return replace(reply, text=f"{reply.text}\n\n{reminder}", parts=parts)


def no_question_reply(spanish: bool = False) -> Reply:
    """After "no" to the check-in, when the message held no FAQ question.

    Args:
        spanish: The check-in was in Spanish. The vetted answers are in
            English only, so the reply says so, in Spanish, with the
            Spanish crisis line.

    """
    text = (
        "Gracias por decírmelo. Mis respuestas sobre la terapia asistida con "
        "MDMA están solo en inglés: puedes preguntar con tus propias palabras "
        "o elegir un tema."
        if spanish
        else "Thank you for telling me. What would you like to know about "
        "MDMA-assisted therapy? You can ask in your own words or pick a topic."
    )
    buttons = [topic_button(topic) for topic in STARTER_TOPICS]
    return with_crisis_reminder(Reply(text=text, buttons=buttons), spanish)
