"""Slack channel: the same answers, disclaimer and safety routes as the website.

Rasa's own Slack connector does most of the work; this module fixes what a
patient-facing bot cannot live with:

* Answers are formatted for Slack: the vetted answer, a "*Sources:*" section
  with links, the disclaimer as a context block and, after crisis lines, the
  988 reminder, laid out from the answer's parts that travel with the bot
  message (`bot.replies.AnswerParts`). The crisis replies (recognised by the
  domain response Rasa names, `utter_action`) are one section per line, the
  numbers in bold. The structured `vetted_answer` part of a reply is never
  posted as a raw JSON message. A reply is one Slack message, not one per
  paragraph (the crisis reply stays together).
* Topic buttons are Block Kit buttons; a click comes back as an interactive
  payload and is handled like the typed question.
* Direct messages are answered in the conversation, mentions in a channel in
  the mention's thread. Messages from bots, including this one, are ignored.
* Slack re-sends an event it thinks timed out. A repeated event (same
  `event_id`, `client_msg_id` or message) is answered with 200 at once and
  never answered twice.
* Every request must carry a valid `X-Slack-Signature` with a timestamp less
  than five minutes old; anything else gets 401 and never reaches the bot.
* The URL-verification challenge (sent when the Request URL is saved in the
  Slack app settings) is answered.
* As on the website (`bot.server.channels.turns`): empty or over-long messages get
  the polite reply without reaching the bot, and a turn that produced no
  reply gets the apology with the crisis line and the disclaimer: never
  silence.
* `SLACK_API_URL` points the Web API client at another address (tests use a
  local fake of Slack).

Credentials come from the environment through the credentials file written
by the launcher (see `bot.ops.credentials`); secrets are never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.replies import Reply, answer_unavailable_reply
from bot.server.channels.senders import (
    SENDER_ID_RULE,
    conversation_id,
    is_valid_sender_id,
    typed_text,
)
from bot.server.channels.slack_dedupe import RedisRecentKeys
from bot.server.channels.slack_format import (
    plain_fallback,
    plain_text_from_slack,
    slack_messages,
)
from bot.server.channels.slack_requests import (
    RecentKeys,
    event_keys,
    is_signature_valid,
)
from bot.server.channels.turn_gate import TURNS
from bot.server.channels.turns import bad_request, reply_to_unusable_text
from bot.server.heap import freeze_after_start
from bot.settings import load_settings

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
# Message subtypes that are still a person writing to the bot.
USER_MESSAGE_SUBTYPES = frozenset({"file_share", "thread_broadcast"})
# chat.postMessage errors after which the reply is re-sent as plain text.
BLOCK_ERRORS = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "invalid_attachments", "msg_too_long"}
)


class SlackOutput(SlackBot):
    """Posts the bot's replies to Slack, formatted for Slack."""

    def __init__(
        self,
        token: str,
        slack_channel: str | None = None,
        thread_id: str | None = None,
        proxy: str | None = None,
        api_url: str | None = None,
    ) -> None:
        """Create the output channel for one conversation.

        Args:
            token: The bot token (xoxb-...).
            slack_channel: The Slack channel (or DM) to post to.
            thread_id: The `thread_ts` to reply in, if any.
            proxy: An HTTP proxy for the Web API, if any.
            api_url: Address of Slack's Web API; Slack's own when not given.

        """
        super().__init__(token, slack_channel, thread_id, proxy)
        base_url = (api_url or DEFAULT_API_URL).rstrip("/") + "/"
        self.client = AsyncWebClient(token=token, base_url=base_url, proxy=proxy)
        self.client.retry_handlers.append(
            AsyncRateLimitErrorRetryHandler(max_retry_count=2)
        )
        # Bot messages handed to this channel, to make sure there was one.
        self.replies_sent = 0

    async def _post(self, recipient_id: str, post: dict[str, Any]) -> None:
        channel = self.slack_channel or recipient_id
        thread = {"thread_ts": self.thread_id} if self.thread_id else {}
        try:
            await self.client.chat_postMessage(channel=channel, **post, **thread)
            return
        except SlackApiError as error:
            code = str(error.response.get("error") or "")
            logger.error("Slack did not accept a reply (%s).", code)
        except (SlackClientError, aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("Could not post a reply to Slack (%s).", type(error).__name__)
            return
        fallback = plain_fallback(post)
        if fallback is None or code not in BLOCK_ERRORS:
            return
        # Slack refused the layout: the text alone still carries the answer,
        # its sources and the disclaimer.
        try:
            await self.client.chat_postMessage(channel=channel, **fallback, **thread)
            logger.info("Posted the reply as plain text instead.")
        except (SlackClientError, aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error(
                "Could not post the plain reply either (%s).", type(error).__name__
            )

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Post one bot message (text, buttons, vetted answer) to Slack."""
        posts = slack_messages(message)
        if posts:
            self.replies_sent += 1
        for post in posts:
            await self._post(recipient_id, post)

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Post text as one message (Rasa's splits it at every blank line)."""
        await self.send_response(
            recipient_id, {"text": text, "utter_action": kwargs.get("utter_action")}
        )

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """Post text with Block Kit buttons."""
        await self.send_response(
            recipient_id,
            {
                "text": text,
                "buttons": buttons,
                "utter_action": kwargs.get("utter_action"),
            },
        )

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Post a Slack-shaped custom payload; drop structured data."""
        await self.send_response(recipient_id, {"custom": json_message})

    async def send_image_url(
        self, recipient_id: str, image: str, **kwargs: Any
    ) -> None:
        """Post an image."""
        await self.send_response(recipient_id, {"image": image})

    async def send_attachment(  # type: ignore[override]
        self, recipient_id: str, attachment: dict[str, Any], **kwargs: Any
    ) -> None:
        """Post a legacy attachment."""
        await self.send_response(recipient_id, {"attachment": attachment})


# ---------------------------------------------------------------------------
# Incoming requests


def _reply_message(reply: Reply) -> dict[str, Any]:
    return {"text": reply.text, "buttons": reply.buttons, "custom": reply.custom}


async def answer_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    output: SlackOutput,
) -> None:
    """Run one turn as the website does, so the person never gets silence.

    Text the bot should not process (empty, or longer than
    MAX_MESSAGE_CHARS) gets the website's polite reply without reaching the
    bot. If the bot gives no reply at all (an action failed, the action
    server is down), the apology with the crisis line and the disclaimer
    goes out instead. The message text is never logged.

    Args:
        on_new_message: Rasa's handler of incoming messages.
        message: The person's message, with `output` as its channel.
        output: Where the replies go.

    """
    polite = reply_to_unusable_text(
        message.text or "", load_settings().max_message_chars
    )
    if polite is not None:
        await output.send_response(message.sender_id, _reply_message(polite))
        return
    try:
        async with TURNS.turn():
            await on_new_message(message)
    except asyncio.CancelledError:
        logger.error("A Slack message was cancelled before the bot answered.")
        raise  # the server is stopping
    except Exception:
        logger.exception("A Slack message failed.")
    if output.replies_sent == 0:
        logger.error("The bot gave no reply to a Slack message; sending the apology.")
        await output.send_response(
            message.sender_id, _reply_message(answer_unavailable_reply())
        )


def _bot_user_ids(payload: dict[str, Any]) -> set[str]:
    """Return the app's bot user ids, from the event's `authorizations`."""
    return {
        str(item.get("user_id"))
        for item in payload.get("authorizations") or []
        if isinstance(item, dict) and item.get("is_bot") and item.get("user_id")
    }


def _content_type(request: Request) -> str:
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


class SlackInput(RasaSlackInput):
    """Rasa's Slack input channel, hardened for a patient-facing bot.

    Listens at `/webhooks/slack/webhook` for both the Events API and
    interactivity (button clicks).
    """

    @classmethod
    def name(cls) -> str:
        """Name the channel: its webhook is /webhooks/slack/webhook."""
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SlackInput:
        """Create the channel from its credentials.yml section.

        Args:
            credentials: `slack_token`, `slack_signing_secret` and optionally
                `slack_channel` (a channel id where every message is
                answered, not only mentions) and `proxy`.

        Raises:
            InvalidConfigException: The token or signing secret is missing.

        """
        if not credentials:
            cls.raise_missing_credentials_exception()

        def value(key: str) -> str | None:
            raw = credentials.get(key)
            if raw is None:
                return None
            return str(raw).strip() or None

        token = value("slack_token")
        if not token:
            raise InvalidConfigException(
                "The Slack channel needs a bot token: set SLACK_TOKEN."
            )
        return cls(
            token,
            slack_channel=value("slack_channel"),
            proxy=value("proxy"),
            slack_signing_secret=value("slack_signing_secret") or "",
        )

    def __init__(
        self,
        slack_token: str,
        slack_channel: str | None = None,
        proxy: str | None = None,
        slack_signing_secret: str = "",
        api_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Create the channel.

        Args:
            slack_token: The bot token (xoxb-...).
            slack_channel: A channel id where every message is answered.
            proxy: An HTTP proxy for the Web API, if any.
            slack_signing_secret: The app's signing secret (required).
            api_url: Address of Slack's Web API; `SLACK_API_URL` or Slack's.
            **kwargs: Other arguments of Rasa's SlackInput.

        Raises:
            InvalidConfigException: The signing secret is empty.

        """
        super().__init__(
            slack_token,
            slack_channel=slack_channel,
            proxy=proxy,
            slack_signing_secret=slack_signing_secret,
            **kwargs,
        )
        self.api_url = api_url or load_settings().slack_api_url or DEFAULT_API_URL
        redis_url = load_settings().redis_url
        # Behind a load balancer, a retry may reach another server: share
        # what was seen through Redis when the servers have one.
        self._recent: RecentKeys | RedisRecentKeys = (
            RedisRecentKeys(redis_url) if redis_url else RecentKeys()
        )
        self._tasks: set[asyncio.Task] = set()
        logger.info(
            "Slack channel ready at /webhooks/slack/webhook (Web API at %s).",
            self.api_url,
        )

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> SlackOutput:
        """Return an output channel posting to a Slack channel (and thread)."""
        return SlackOutput(
            self.slack_token,
            channel or self.slack_channel,
            thread_id,
            self.proxy,
            self.api_url,
        )

    def is_request_from_slack_authentic(self, request: Request) -> bool:
        """Check that the request carries a valid, recent Slack signature."""
        return is_signature_valid(
            self.slack_signing_secret,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
            request.body or b"",
        )

    def _answers_event(self, payload: dict[str, Any], event: dict[str, Any]) -> bool:
        """Check that an event is a person writing to the bot."""
        if event.get("type") not in ("message", "app_mention"):
            return False
        if event.get("bot_id") or event.get("bot_profile"):
            return False
        subtype = event.get("subtype")
        if subtype and subtype not in USER_MESSAGE_SUBTYPES:
            return False  # bot_message, message_changed, channel_join, ...
        user = event.get("user")
        if not user or user in _bot_user_ids(payload):
            return False
        if not str(event.get("text") or "").strip() or not event.get("channel"):
            return False
        return (
            event.get("type") == "app_mention"
            or event.get("channel_type") == "im"
            or (bool(self.slack_channel) and event.get("channel") == self.slack_channel)
        )

    def _dispatch(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        user: str,
        channel: str,
        thread_ts: str | None,
        is_direct: bool,
    ) -> bool:
        """Hand a message to Rasa in the background (Slack wants 200 fast).

        Returns:
            False when the ids cannot name a conversation (nothing was sent).

        """
        # One conversation per person per DM, or per person per thread,
        # stored as `slack:…` so no other channel can continue it.
        sender = f"{user}_{channel}" if is_direct else f"{user}_{channel}_{thread_ts}"
        if not is_valid_sender_id(sender):
            logger.warning(
                "Ignored a Slack message with malformed user or channel ids."
            )
            return False
        output = self.get_output_channel(channel, thread_ts)
        message = UserMessage(
            typed_text(text),
            output,
            conversation_id(self.name(), sender),
            input_channel=self.name(),
            metadata={"out_channel": channel, "thread_id": thread_ts},
        )
        task = asyncio.create_task(answer_turn(on_new_message, message, output))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    def _handle_event(
        self,
        request: Request,
        payload: dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        if payload.get("type") == "url_verification":
            return response.json({"challenge": str(payload.get("challenge") or "")})
        event = payload.get("event")
        if payload.get("type") != "event_callback":
            # Other kinds of notice (say, app_rate_limited) need only a 200.
            return response.text("")
        if not isinstance(event, dict):
            return bad_request("An event_callback needs an 'event' object.")
        if not self._answers_event(payload, event):
            logger.debug("Ignored a Slack event that is not a person's message.")
            return response.text("")
        if self._recent.check_and_remember(event_keys(payload)):
            logger.info(
                "Ignored a repeated Slack event (retry %s, reason %s).",
                request.headers.get("X-Slack-Retry-Num", "-"),
                request.headers.get("X-Slack-Retry-Reason", "-"),
            )
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        text = plain_text_from_slack(str(event["text"]))
        is_direct = event.get("channel_type") == "im"
        thread_ts = (
            event.get("thread_ts")
            if is_direct
            else event.get("thread_ts") or event.get("ts")
        )
        if not self._dispatch(
            on_new_message,
            text,
            str(event["user"]),
            str(event["channel"]),
            thread_ts,
            is_direct,
        ):
            return bad_request(SENDER_ID_RULE)
        return response.text("")

    def _handle_interaction(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        raw = request.form.get("payload")
        try:
            payload = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            payload = None
        if not isinstance(payload, dict):
            return bad_request("The form field 'payload' must hold a JSON object.")
        if not self._is_interactive_message(payload):
            return response.text("")
        action = payload["actions"][0]
        text = self._get_interactive_response(action)
        user = (payload.get("user") or {}).get("id")
        channel = (payload.get("channel") or {}).get("id") or (
            payload.get("container") or {}
        ).get("channel_id")
        if not text or not user or not channel:
            return response.text("")  # a link button, or nowhere to answer
        key = payload.get("trigger_id") or action.get("action_ts")
        if key and self._recent.check_and_remember([f"action:{key}"]):
            return response.text("")
        message = payload.get("message") or {}
        thread_ts = message.get("thread_ts") or (payload.get("container") or {}).get(
            "thread_ts"
        )
        is_direct = str(channel).startswith("D")
        if not is_direct and not thread_ts:
            thread_ts = message.get("ts")
        if not self._dispatch(
            on_new_message, str(text), str(user), str(channel), thread_ts, is_direct
        ):
            return bad_request(SENDER_ID_RULE)
        return response.text("")

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Return the Sanic routes: a health check and the Slack webhook."""
        slack_webhook = Blueprint("slack_webhook", __name__)
        freeze_after_start(slack_webhook)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.is_request_from_slack_authentic(request):
                logger.warning(
                    "Rejected a request to the Slack webhook: missing, wrong or "
                    "expired signature."
                )
                return response.text(
                    "Invalid or expired Slack signature.",
                    status=HTTPStatus.UNAUTHORIZED,
                )
            content_type = _content_type(request)
            if content_type == "application/json":
                try:
                    payload = json.loads(request.body)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    payload = None
                if not isinstance(payload, dict):
                    return bad_request("The request body must be a JSON object.")
                return self._handle_event(request, payload, on_new_message)
            if content_type == "application/x-www-form-urlencoded":
                return self._handle_interaction(request, on_new_message)
            return response.text("")

        return slack_webhook
