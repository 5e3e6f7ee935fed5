"""One chat turn over HTTP, shared by the bot's HTTP channels.

Reads and checks the request, answers unusable text politely without
bothering the bot, runs the turn, and makes sure the person never gets
silence: if the bot produced no reply (an action failed, the action server is
down), an apology with the crisis line and the disclaimer goes out instead.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import response
from sanic.response import HTTPResponse

from bot.replies import (
    Reply,
    answer_unavailable_reply,
    empty_message_reply,
    too_long_reply,
)
from bot.server.channels.senders import (
    SENDER_ID_RULE,
    conversation_id,
    is_valid_sender_id,
    typed_text,
)
from bot.server.channels.turn_gate import TURNS

logger = logging.getLogger(__name__)

# NUL and other control characters (tabs and newlines excepted) break some
# databases and terminals and carry no meaning in a chat message.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadRequestError(ValueError):
    """The HTTP request is not a usable chat message; the text says why."""


def read_message_request(body: bytes | None) -> tuple[str, str]:
    """Reads `{"sender": "...", "message": "..."}` from a request body.

    Args:
        body: The raw request body.

    Returns:
        The sender id and the message text, control characters removed and
        a leading "/" kept only for the bot's own button payloads.

    Raises:
        BadRequestError: The body is not such a JSON object.
    """
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadRequestError("The request body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise BadRequestError(
            'The request body must be a JSON object with "sender" and "message".'
        )
    sender, text = payload.get("sender"), payload.get("message")
    if not is_valid_sender_id(sender):
        raise BadRequestError(SENDER_ID_RULE)
    if not isinstance(text, str):
        raise BadRequestError('"message" must be a string.')
    return sender, typed_text(_CONTROL_CHARACTERS.sub("", text))


def reply_to_unusable_text(text: str, max_chars: int) -> Reply | None:
    """A polite reply for a message the bot should not process, else None."""
    if not text.strip():
        return empty_message_reply()
    if len(text) > max_chars:
        return too_long_reply(max_chars)
    return None


class WholeMessageCollector(CollectingOutputChannel):
    """Collects the bot's replies, one message per bot message.

    Rasa's collector cuts a text at every blank line into several messages,
    so a vetted answer would arrive as the answer, its sources and the
    disclaimer apart, and a client that shows only the first would lose the
    disclaimer. This one keeps the text whole, paragraphs and all; every
    HTTP channel uses it.
    """

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Collect a text message as it is.

        Args:
            recipient_id: The conversation's sender id.
            text: The bot's text.
            **kwargs: Ignored, as Rasa's collector does.

        """
        await self._persist_message(self._message(recipient_id, text=text.strip()))


def reply_as_messages(reply: Reply, recipient_id: str) -> list[dict[str, Any]]:
    """A reply in the REST channel's JSON message format."""
    message: dict[str, Any] = {"recipient_id": recipient_id, "text": reply.text}
    if reply.buttons:
        message["buttons"] = reply.buttons
    return [message]


async def run_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    collector: CollectingOutputChannel,
    text: str,
    sender_id: str,
    input_channel: str,
) -> list[dict[str, Any]]:
    """Passes a message to the bot and returns its replies, never none.

    The message text is never logged: people write about their health here.
    """
    try:
        async with TURNS.turn():
            await on_new_message(
                UserMessage(text, collector, sender_id, input_channel=input_channel)
            )
    except asyncio.CancelledError:
        logger.error("A %s message timed out before the bot answered.", input_channel)
    except Exception:
        logger.exception("A %s message failed.", input_channel)
    if not collector.messages:
        logger.error(
            "The bot gave no reply to a %s message; sending the apology.",
            input_channel,
        )
        return reply_as_messages(answer_unavailable_reply(), sender_id)
    return collector.messages


def bad_request(problem: str) -> HTTPResponse:
    """The 400 every channel sends for a malformed request: `{"error": ...}`."""
    return response.json({"error": problem}, status=400)


async def respond_to_message_request(
    body: bytes | None,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    collector: CollectingOutputChannel,
    input_channel: str,
    max_chars: int,
) -> HTTPResponse:
    """Answers a `{"sender", "message"}` request with the bot's replies.

    Args:
        body: The request body.
        on_new_message: Rasa's handler for incoming messages.
        collector: Collects the bot's replies (channels differ only here).
        input_channel: The channel's name.
        max_chars: Longer messages get a polite "too long" reply.

    Returns:
        The replies as a JSON list, or 400 for a malformed request.

    """
    try:
        sender_id, text = read_message_request(body)
    except BadRequestError as error:
        return bad_request(str(error))
    polite = reply_to_unusable_text(text, max_chars)
    if polite is not None:
        return response.json(reply_as_messages(polite, sender_id))
    replies = await run_turn(
        on_new_message,
        collector,
        text,
        conversation_id(input_channel, sender_id),
        input_channel,
    )
    # The client knows its conversation by the id it sent.
    return response.json([{**reply, "recipient_id": sender_id} for reply in replies])
