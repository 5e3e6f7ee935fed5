"""The web widget's Rasa input channel: REST messages plus answer feedback.

Turned on in `credentials.yml` as `bot.channels.widget.WidgetInput:`. It adds
two routes to the Rasa server:

- `POST /webhooks/widget/webhook`: the REST protocol,
  `{"sender": "...", "message": "..."}` in, the bot's replies out in the
  response, with the same checks and never-silent reply as the REST channel
  (`bot.channels.rest`). But a bot message is never cut into one message per
  paragraph, as Rasa's REST output is: a vetted answer arrives as one text
  (answer, sources and disclaimer) followed by its structured part, so the
  widget can show them together. Client metadata and `?stream=true` are not
  supported.
- `POST /webhooks/widget/feedback`: `{"sender", "topic", "version",
  "helpful"}` in; 201 when stored, 400 with `{"error": ...}` when the request
  is malformed, 503 when the database cannot store it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.turns import WholeMessageCollector, respond_to_message_request
from bot.settings import load_settings
from bot.store.database import engine_for, session_factory
from bot.store.feedback import (
    Feedback,
    FeedbackError,
    ensure_feedback_table,
    feedback_from_body,
    record_feedback,
)

logger = logging.getLogger(__name__)


class WidgetInput(RestInput):
    """REST input channel of the web widget, with a feedback endpoint."""

    @classmethod
    def name(cls) -> str:
        """Name the channel; its routes live under `/webhooks/widget/`."""
        return "widget"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        """Build the REST routes and add the feedback route next to them.

        Args:
            on_new_message: Rasa's handler for incoming messages.

        Returns:
            The blueprint Rasa mounts at `/webhooks/widget`.

        """
        blueprint = Blueprint("widget_webhook", __name__)
        max_chars = load_settings().max_message_chars

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await respond_to_message_request(
                request.body,
                on_new_message,
                WholeMessageCollector(),
                self.name(),
                max_chars,
            )

        @blueprint.route("/feedback", methods=["POST"])
        async def feedback(request: Request) -> HTTPResponse:
            return await self.handle_feedback(request.body)

        return blueprint

    async def handle_feedback(self, body: bytes | None) -> HTTPResponse:
        """Check a feedback body and store it, without blocking the event loop.

        Args:
            body: The raw request body.

        Returns:
            201 `{"status": "recorded", "id": ...}` when stored, 400
            `{"error": ..., "problems": [...]}` for a malformed request, 503
            `{"error": ...}` when the database cannot store it.

        """
        try:
            feedback = feedback_from_body(body)
        except FeedbackError as error:
            return response.json(
                {"error": f"Invalid feedback: {error}", "problems": error.problems},
                status=400,
            )
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

    Blocking: call it from a worker thread in async code.

    Args:
        feedback: Checked feedback.
        database_url: The database; `DATABASE_URL` from the settings when not
            given.

    Returns:
        The id of the new row.

    """
    engine = engine_for(database_url or load_settings().database_url)
    ensure_feedback_table(engine)
    with session_factory(engine)() as session:
        return record_feedback(session, feedback)


__all__ = ["WholeMessageCollector", "WidgetInput", "store_feedback"]
