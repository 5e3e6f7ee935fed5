"""Sender ids and typed "/" commands: what a client may send on any channel.

A sender id names a conversation. Clients choose it (the widget makes a
random `web-…` id, Slack sends user and channel ids), so it is checked
against one format before it reaches the bot, and it is stored with the
channel's name in front (`widget:web-…`, `rest:me`, `slack:U1_D1`): a
client of one channel can never continue another channel's conversation,
which would show what someone else asked.

Rasa reads a message starting with "/" as an intent with entities
(`/greet{"name": …}`), and when it cannot parse one it warns with the whole
message text in the log. People do type "/" at the start of a message, so
such text reaches Rasa as an intent only when it is exactly one of the bot's
own button payloads; anything else loses its leading slashes and is read as
ordinary text. As a second guard, `silence_message_warnings` drops that
warning in the Rasa server (the channels call it when Rasa makes them).
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

from bot.safety_routes import CHECK_IN_BUTTON_INTENTS
from bot.topics import TOPIC_TITLES, intent_for_topic

MAX_SENDER_ID_CHARS = 128
SENDER_ID_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
SENDER_ID_RULE = (
    '"sender" must be 1 to 128 characters: letters, digits, "_", ".", ":" or "-".'
)
# A stored id is the channel's name, ":", and the client's id.
STORED_SENDER_ID_PATTERN = re.compile(r"[a-z]{1,16}:[A-Za-z0-9_.:-]{1,128}")
INTENT_PREFIX = "/"


def is_valid_sender_id(sender_id: object) -> bool:
    """Whether a client's sender id has the one allowed format."""
    return isinstance(sender_id, str) and bool(SENDER_ID_PATTERN.fullmatch(sender_id))


def is_stored_sender_id(sender_id: str) -> bool:
    """Whether an id has the form conversations are stored under."""
    return bool(STORED_SENDER_ID_PATTERN.fullmatch(sender_id))


def conversation_id(channel: str, sender_id: str) -> str:
    """The id a channel's conversation is stored under: `<channel>:<sender>`."""
    return f"{channel}:{sender_id}"


@lru_cache(maxsize=1)
def button_payloads() -> frozenset[str]:
    """Every payload the bot's own buttons send, nothing more.

    Topic buttons (`/faq_<topic>`) and the crisis check-in's yes, no and
    "someone else"; every button in domain.yml is one of them (a unit test
    checks).
    """
    intents = [intent_for_topic(t) for t in TOPIC_TITLES] + list(
        CHECK_IN_BUTTON_INTENTS
    )
    return frozenset(f"{INTENT_PREFIX}{intent}" for intent in intents)


def typed_text(text: str) -> str:
    """The text to hand to the bot: a button payload as is, else no leading "/".

    Args:
        text: What the client sent.

    Returns:
        The exact payload when `text` is one of the bot's button payloads
        (surrounding blanks aside); otherwise `text` with its leading slashes
        removed, so Rasa reads it as ordinary text and never logs it.

    """
    stripped = text.strip()
    if not stripped.startswith(INTENT_PREFIX):
        return text
    if stripped in button_payloads():
        return stripped
    return stripped.lstrip(INTENT_PREFIX).lstrip()


def silence_message_warnings() -> None:
    """Drop Rasa's "Failed to parse arguments in line '<message>'" warnings.

    The story reader raises them while unpacking a "/" message, quoting the
    whole message. `typed_text` already keeps such text away from the
    parser; this makes sure a path that bypasses it cannot log the text.
    """
    warnings.filterwarnings(
        "ignore", message=r"Failed to parse arguments in line", category=UserWarning
    )
