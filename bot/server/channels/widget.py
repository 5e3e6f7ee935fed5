"""The web widget's Rasa input channel: REST messages plus answer feedback.

Turned on in `credentials.yml` as `bot.server.channels.widget.WidgetInput:`. It adds
two routes to the Rasa server:

- `POST /webhooks/widget/webhook`: the REST protocol,
  `{"sender": "...", "message": "..."}` in, the bot's replies out in the
  response, with the same checks and never-silent reply as the REST channel
  (`bot.server.channels.rest`). But a bot message is never cut into one message per
  paragraph, as Rasa's REST output is: a vetted answer arrives as one text
  (answer, sources and disclaimer) followed by its structured part, so the
  widget can show them together. Client metadata and `?stream=true` are not
  supported.
- `POST /webhooks/widget/feedback`: `{"sender", "topic", "version",
  "helpful"}` in, as `application/json` only (415 otherwise). Feedback is
  stored only on a (topic, version) that this sender's widget conversation
  was actually sent (403 otherwise), at most FEEDBACK_PER_SENDER_PER_MINUTE
  times a minute per sender and FEEDBACK_PER_ADDRESS_PER_MINUTE per client
  address (429 past either). 201 when stored, 400 with `{"error": ...}` when
  the request is malformed, 503 when the database cannot store it.

Conversations are stored as `widget:<sender>` (`bot.server.channels.senders`), so
neither the REST channel nor Slack can continue a widget conversation, and
feedback is stored under that id too.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.db.engine import engine_for, session_factory
from bot.server.channels.rate_limit import SlidingWindowLimit
from bot.server.channels.rest import CheckedRestInput
from bot.server.channels.senders import conversation_id, silence_message_warnings
from bot.server.feedback import (
    Feedback,
    FeedbackError,
    feedback_from_body,
    record_feedback,
)
from bot.settings import load_settings

logger = logging.getLogger(__name__)

# Whether a conversation was sent an answer: (conversation id, topic, version).
AnsweredCheck = Callable[[str, str, int], Awaitable[bool]]


def _json_error(message: str, status: int) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def was_sent_answer(events: list[Any], topic: str, version: int) -> bool:
    """Whether the bot sent this (topic, version) among the tracker's events."""
    for event in events:
        data = getattr(event, "data", None)
        if getattr(event, "type_name", None) != "bot" or not isinstance(data, dict):
            continue
        custom = data.get("custom")
        vetted = custom.get("vetted_answer") if isinstance(custom, dict) else None
        if (
            isinstance(vetted, dict)
            and vetted.get("topic") == topic
            and vetted.get("version") == version
        ):
            return True
    return False


def tracker_store_check(request: Request) -> AnsweredCheck:
    """An `AnsweredCheck` reading the Rasa server's own tracker store."""

    async def answered(conversation: str, topic: str, version: int) -> bool:
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return False
        tracker = await agent.tracker_store.retrieve_full_tracker(conversation)
        return tracker is not None and was_sent_answer(
            list(tracker.events), topic, version
        )

    return answered


class WidgetInput(CheckedRestInput):
    """REST input channel of the web widget, with a feedback endpoint."""

    blueprint_name = "widget_webhook"

    @classmethod
    def name(cls) -> str:
        """Name the channel; its routes live under `/webhooks/widget/`."""
        return "widget"

    def __init__(self) -> None:
        """Make the channel and its feedback rate limits (from the settings)."""
        super().__init__()
        settings = load_settings()
        self.per_sender = SlidingWindowLimit(settings.feedback_per_sender_per_minute)
        self.per_address = SlidingWindowLimit(settings.feedback_per_address_per_minute)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WidgetInput:
        """Make the channel when the Rasa server starts (always on).

        Args:
            credentials: The channel's credentials.yml section (none needed).

        Returns:
            The channel.

        """
        silence_message_warnings()
        return cls()

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        """Build the REST routes and add the feedback route next to them.

        Args:
            on_new_message: Rasa's handler for incoming messages.

        Returns:
            The blueprint Rasa mounts at `/webhooks/widget`.

        """
        blueprint = super().blueprint(on_new_message)

        @blueprint.route("/feedback", methods=["POST"])
        async def feedback(request: Request) -> HTTPResponse:
            return await self.handle_feedback(
                request.body,
                content_type=request.headers.get("content-type") or "",
                client_address=request.remote_addr or request.ip or "",
                answered=tracker_store_check(request),
            )

        return blueprint

    async def handle_feedback(
        self,
        body: bytes | None,
        *,
        content_type: str,
        client_address: str,
        answered: AnsweredCheck,
    ) -> HTTPResponse:
        """Check a feedback request and store it, without blocking the event loop.

        Args:
            body: The raw request body.
            content_type: The request's Content-Type header.
            client_address: Where the request came from, for the rate limit.
            answered: Says whether a conversation was sent an answer.

        Returns:
            201 `{"status": "recorded", "id": ...}` when stored; 400 `{"error":
            ..., "problems": [...]}` for a malformed request; 403 for an
            answer the conversation never got; 415 for a body that is not
            JSON; 429 past the rate limit; 503 when the database cannot
            store it or the conversation cannot be read.

        """
        media_type = content_type.split(";")[0].strip().lower()
        if media_type != "application/json":
            return _json_error("Feedback must be sent as application/json.", 415)
        if not self.per_address.allow(f"address:{client_address}"):
            return _json_error(
                "Too much feedback from this address; wait a minute.", 429
            )
        try:
            feedback = feedback_from_body(body)
        except FeedbackError as error:
            return response.json(
                {"error": f"Invalid feedback: {error}", "problems": error.problems},
                status=400,
            )
        if not self.per_sender.allow(feedback.sender_id):
            return _json_error(
                "Too much feedback from this sender; wait a minute.", 429
            )
        conversation = conversation_id(self.name(), feedback.sender_id)
        try:
            was_sent = await answered(conversation, feedback.topic, feedback.version)
        except Exception as error:  # noqa: BLE001 - any store failure: try later
            logger.error(
                "Could not read a conversation for feedback (%s).", type(error).__name__
            )
            return _json_error(
                "The feedback could not be checked. Please try again later.", 503
            )
        if not was_sent:
            return _json_error(
                "Feedback is accepted only on an answer this conversation received.",
                403,
            )
        feedback = dataclasses.replace(feedback, sender_id=conversation)
        try:
            row_id = await asyncio.to_thread(store_feedback, feedback)
        except SQLAlchemyError:
            logger.exception("Feedback on topic '%s' was not stored", feedback.topic)
            return response.json(
                {"error": "The feedback could not be stored. Please try again later."},
                status=503,
            )
        return response.json({"status": "recorded", "id": row_id}, status=201)


def store_feedback(feedback: Feedback, database_url: str | None = None) -> int:
    """Store feedback in the answer database, in a session of its own.

    Blocking: call it from a worker thread in async code. The table is made
    by the migrations, which the Rasa server's tracker store runs when it
    starts (`bot.db.migrate`).

    Args:
        feedback: Checked feedback.
        database_url: The database; `DATABASE_URL` from the settings when not
            given.

    Returns:
        The id of the new row.

    """
    engine = engine_for(database_url or load_settings().database_url)
    with session_factory(engine)() as session:
        return record_feedback(session, feedback)


__all__ = ["WidgetInput", "store_feedback"]
