"""Rasa's REST channel with checked input and no silent replies.

Same URL and protocol as Rasa's (`POST /webhooks/rest/webhook` with
`{"sender": "...", "message": "..."}`), but malformed requests get a clear
400 error, empty and over-long messages get a polite reply, and a turn that
produced no reply gets an apology with the crisis line and the disclaimer.
Each bot message arrives whole (Rasa's own REST channel cuts a text at every
blank line), so a vetted answer and its disclaimer are one message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server.channels.turns import WholeMessageCollector, respond_to_message_request
from bot.server.heap import freeze_after_start
from bot.settings import load_settings


class CheckedRestInput(RestInput):
    """The REST channel, with input checks and a never-silent reply."""

    # Sanic needs a unique name per blueprint; a subclass with other routes
    # under its own URL sets its own.
    blueprint_name = "checked_rest_webhook"

    @classmethod
    def name(cls) -> str:
        """Keeps Rasa's channel name, so the URL stays /webhooks/rest/."""
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        """Builds the health and webhook routes."""
        blueprint = Blueprint(self.blueprint_name, __name__)
        max_chars = load_settings().max_message_chars
        freeze_after_start(blueprint)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
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

        return blueprint
