"""Rasa events as they may be stored: user text redacted.

`redact_event` takes an event as Rasa serialises it (`Event.as_dict()`) and
returns a copy whose user text, the text inside its NLU parse data and any
entity values are redacted. Other events hold no user text and pass
unchanged. If redaction fails, the text is withheld rather than stored.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from bot.db.tables import UnansweredQuestion
from bot.topics import FALLBACK_INTENT, OUT_OF_SCOPE_INTENT

logger = logging.getLogger(__name__)

WITHHELD = "[WITHHELD]"
# Fallback, out of scope, and MDMA therapy beyond every vetted answer (whose
# reply says there is no vetted answer yet): what the content team reads to
# decide which answers to write next.
UNANSWERED_INTENTS = (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, "faq_not_covered")


def redact_event(data: dict[str, Any], redact: Callable[[str], str]) -> dict[str, Any]:
    """A serialised event fit for storage.

    Args:
        data: The event as from `Event.as_dict()`; it is not changed.
        redact: Replaces the personal details in a text.

    Returns:
        A copy of a user event with its texts redacted; any other event as
        it was.

    """
    if data.get("event") != "user":
        return data
    stored = copy.deepcopy(data)
    parse_data = stored.get("parse_data")
    if not isinstance(parse_data, dict):
        parse_data = {}
    try:
        original = stored.get("text")
        if isinstance(original, str):
            stored["text"] = redact(original)
        parse_text = parse_data.get("text")
        if isinstance(parse_text, str):
            parse_data["text"] = (
                stored["text"] if parse_text == original else redact(parse_text)
            )
        for entity in parse_data.get("entities") or []:
            if isinstance(entity, dict) and isinstance(entity.get("value"), str):
                entity["value"] = redact(entity["value"])
    except Exception as error:  # noqa: BLE001 - never store what failed to redact
        # The error's type only: its message could quote the text.
        logger.error(
            "Redaction failed (%s); the text is withheld.", type(error).__name__
        )
        stored["text"] = WITHHELD
        if "text" in parse_data:
            parse_data["text"] = WITHHELD
        for entity in parse_data.get("entities") or []:
            if isinstance(entity, dict):
                entity["value"] = WITHHELD
    return stored


def intent_of(data: dict[str, Any]) -> str | None:
    """The intent name of a serialised user event, if any."""
    parse_data = data.get("parse_data")
    if not isinstance(parse_data, dict):
        return None
    intent = parse_data.get("intent")
    return intent.get("name") if isinstance(intent, dict) else None


def unanswered_question(
    sender_id: str, stored: dict[str, Any]
) -> UnansweredQuestion | None:
    """The unanswered-question row for a redacted user event, if it is one.

    Args:
        sender_id: The conversation the event belongs to.
        stored: A user event already passed through `redact_event`.

    Returns:
        A new row for a fallback or out-of-scope message, else None.

    """
    intent = intent_of(stored)
    if stored.get("event") != "user" or intent not in UNANSWERED_INTENTS:
        return None
    timestamp = stored.get("timestamp")
    asked_at = (
        datetime.fromtimestamp(timestamp, tz=timezone.utc)
        if isinstance(timestamp, (int, float))
        else datetime.now(timezone.utc)
    )
    return UnansweredQuestion(
        sender_id=sender_id,
        asked_at=asked_at,
        channel=stored.get("input_channel"),
        intent=intent,
        text=stored.get("text") or "",
    )
