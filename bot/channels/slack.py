"""Slack channel: the same answers, disclaimer and safety routes as the website.

Rasa's own Slack connector does most of the work; this module fixes what a
patient-facing bot cannot live with:

* Answers are formatted for Slack: the vetted answer, a "*Sources:*" section
  with links, and the disclaimer as a context block. The structured
  `vetted_answer` part of a reply is used for the blocks and never posted as a
  raw JSON message. A reply is one Slack message, not one per paragraph (the
  crisis reply stays together).
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
* As on the website (`bot.channels.turns`): empty or over-long messages get
  the polite reply without reaching the bot, and a turn that produced no
  reply gets the apology with the crisis line and the disclaimer: never
  silence.
* `SLACK_API_URL` points the Web API client at another address (tests use a
  local fake of Slack).

Credentials come from the environment through the credentials file written
by the launcher (see `bot.channels`); secrets are never logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
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

from bot.channels.turns import reply_to_unusable_text
from bot.disclaimer import build_disclaimer
from bot.replies import Reply, answer_unavailable_reply
from bot.settings import load_settings

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
# Slack rejects requests whose timestamp is more than five minutes off.
MAX_REQUEST_AGE_SECONDS = 5 * 60
# Block Kit limits (https://api.slack.com/reference/block-kit).
MAX_SECTION_CHARS = 3000
MAX_BUTTON_TITLE_CHARS = 75
MAX_BUTTON_VALUE_CHARS = 2000
MAX_ACTIONS_PER_BLOCK = 25
MAX_BLOCKS = 50
# Slack retries an event three times within about an hour and a half.
DEDUPE_TTL_SECONDS = 2 * 60 * 60
DEDUPE_MAX_ENTRIES = 20_000
# Message subtypes that are still a person writing to the bot.
USER_MESSAGE_SUBTYPES = frozenset({"file_share", "thread_broadcast"})
SOURCES_SEPARATOR = "\n\nSources: "
# chat.postMessage errors after which the reply is re-sent as plain text.
BLOCK_ERRORS = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "invalid_attachments", "msg_too_long"}
)
# chat.postMessage arguments a custom payload may set (not the channel).
SLACK_KEYS = frozenset(
    {"text", "blocks", "attachments", "mrkdwn", "unfurl_links", "unfurl_media"}
)


# ---------------------------------------------------------------------------
# Request signatures


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    """Compute the `X-Slack-Signature` Slack sends for a request body.

    Args:
        secret: The app's signing secret.
        timestamp: The `X-Slack-Request-Timestamp` header.
        body: The raw request body.

    Returns:
        "v0=" and the hex HMAC-SHA256 of "v0:{timestamp}:{body}".

    """
    base = b"v0:" + timestamp.encode("utf-8") + b":" + body
    digest = hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def is_signature_valid(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float | None = None,
) -> bool:
    """Check that a request was signed by Slack with this secret, recently.

    Args:
        secret: The app's signing secret; an empty secret accepts nothing.
        timestamp: The `X-Slack-Request-Timestamp` header, in Unix seconds.
        signature: The `X-Slack-Signature` header.
        body: The raw request body.
        now: The current Unix time; `time.time()` when not given.

    Returns:
        True only if the signature matches and the timestamp is less than
        five minutes from now (which stops replays of old requests).

    """
    if not secret or not timestamp or not signature:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > MAX_REQUEST_AGE_SECONDS:
        return False
    expected = slack_signature(secret, timestamp, body).encode("utf-8")
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))


# ---------------------------------------------------------------------------
# Repeated events


class RecentKeys:
    """Remembers keys for a while, in bounded memory, to spot repeats.

    Entries expire after `ttl_seconds`; beyond `max_entries` the oldest are
    dropped. Used from the server's event loop only, so it needs no lock.
    """

    def __init__(
        self,
        ttl_seconds: float = DEDUPE_TTL_SECONDS,
        max_entries: int = DEDUPE_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        self._prune()
        return len(self._expiry)

    def _prune(self) -> None:
        now = self._clock()
        while self._expiry:
            key, expires = next(iter(self._expiry.items()))
            if expires > now:
                break
            self._expiry.pop(key)

    def check_and_remember(self, keys: Iterable[str]) -> bool:
        """Remember the keys; say whether any of them was already known.

        Args:
            keys: The identities of one event (empty keys are ignored).

        Returns:
            True if the event was seen before (a repeat).

        """
        self._prune()
        keys = [key for key in keys if key]
        seen = any(key in self._expiry for key in keys)
        expires = self._clock() + self._ttl
        for key in keys:
            self._expiry.pop(key, None)
            self._expiry[key] = expires
        while len(self._expiry) > self._max:
            self._expiry.popitem(last=False)
        return seen


def event_keys(payload: dict[str, Any]) -> list[str]:
    """Return the identities of an Events API callback, to spot repeats.

    A retried event keeps its `event_id`. A mention in a channel the bot also
    reads arrives twice (`message` and `app_mention`, with different event
    ids) but is the same message: same `client_msg_id`, channel and `ts`.
    """
    event = payload.get("event") or {}
    keys = []
    if payload.get("event_id"):
        keys.append(f"event:{payload['event_id']}")
    if event.get("client_msg_id"):
        keys.append(f"message:{event['client_msg_id']}")
    if event.get("channel") and event.get("ts"):
        keys.append(f"ts:{event['channel']}:{event['ts']}")
    return keys


# ---------------------------------------------------------------------------
# Incoming text

_USER_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_CHANNEL_LINK = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([^>|]*)(?:\|([^>]*))?>")
_LINK = re.compile(r"<([^<>|@#!][^<>|]*)(?:\|([^<>]*))?>")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def plain_text_from_slack(text: str) -> str:
    """Return what a person wrote, without Slack's markup.

    Mentions (of the bot or anyone) are dropped, links and channel names
    become their labels, and Slack's `&amp;`, `&lt;`, `&gt;` are decoded, so
    the NLU and the crisis check see the words as typed.
    """
    text = _USER_MENTION.sub(" ", text)
    text = _CHANNEL_LINK.sub(lambda m: f"#{m.group(1)}" if m.group(1) else " ", text)
    text = _SPECIAL.sub(lambda m: m.group(2) or " ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = _CONTROL_CHARACTERS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------
# Outgoing messages


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack's mrkdwn gives a meaning to."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    """Plain reply text as Slack mrkdwn: escaped, with "- " items as bullets."""
    lines = escape_mrkdwn(text.strip()).split("\n")
    return "\n".join(
        "• " + line.lstrip()[2:] if line.lstrip().startswith("- ") else line
        for line in lines
    )


def split_text(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Split text into pieces of at most `limit` characters.

    Splits at a paragraph break, else a line break, else a space, so a long
    answer fills several blocks without losing a word.
    """
    pieces = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _section_blocks(mrkdwn: str) -> list[dict[str, Any]]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in split_text(mrkdwn)
    ]


def _link(title: str, url: str | None) -> str:
    label = escape_mrkdwn(title.strip()).replace("|", "¦")
    if not url:
        return label
    return f"<{escape_mrkdwn(url.strip()).replace('|', '%7C')}|{label}>"


def _answer_body(text: str, disclaimer: str) -> str:
    """Return the answer itself, without its sources and disclaimer."""
    body = text.strip()
    if disclaimer and body.endswith(disclaimer):
        body = body[: -len(disclaimer)].rstrip()
    head, separator, _ = body.rpartition(SOURCES_SEPARATOR)
    return head if separator else body


def vetted_answer_blocks(text: str, vetted: dict[str, Any]) -> list[dict[str, Any]]:
    """Build the blocks of a vetted answer: answer, sources, disclaimer.

    Args:
        text: The reply's text (the answer, "Sources: ..." and the
            disclaimer, as the website gets it).
        vetted: The reply's `custom.vetted_answer` part.

    Returns:
        Block Kit blocks; the disclaimer block is always there.

    """
    disclaimer = str(vetted.get("disclaimer") or build_disclaimer())
    blocks = _section_blocks(to_mrkdwn(_answer_body(text, disclaimer)))
    sources = [
        source
        for source in vetted.get("sources") or []
        if isinstance(source, dict) and str(source.get("title") or "").strip()
    ]
    if sources:
        listing = "\n".join(
            "• " + _link(str(source["title"]), source.get("url")) for source in sources
        )
        blocks.extend(_section_blocks(f"*Sources:*\n{listing}"))
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": escape_mrkdwn(disclaimer)}],
        }
    )
    return blocks


def _button(index: int, button: dict[str, Any]) -> dict[str, Any] | None:
    title = str(button.get("title") or "").strip()
    if not title:
        return None
    if len(title) > MAX_BUTTON_TITLE_CHARS:
        title = title[: MAX_BUTTON_TITLE_CHARS - 1] + "…"
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": title, "emoji": True},
        "action_id": f"rasa_button_{index}",
    }
    if button.get("url"):
        element["url"] = str(button["url"])
    elif button.get("payload"):
        element["value"] = str(button["payload"])[:MAX_BUTTON_VALUE_CHARS]
    else:
        return None
    return element


def button_blocks(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn Rasa buttons into Block Kit `actions` blocks."""
    elements = [
        element
        for element in (_button(index, button) for index, button in enumerate(buttons))
        if element
    ]
    return [
        {"type": "actions", "elements": elements[start : start + MAX_ACTIONS_PER_BLOCK]}
        for start in range(0, len(elements), MAX_ACTIONS_PER_BLOCK)
    ]


def slack_messages(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Build the chat.postMessage arguments (all but channel) for a message.

    Args:
        message: A bot message as Rasa hands it to an output channel (`text`,
            `buttons`, `custom`, `image`, `attachment`).

    Returns:
        Usually one message. Its `text` carries the whole reply (the
        notification and screen-reader fallback); `blocks` lay it out.

    """
    text = str(message.get("text") or "").strip()
    buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict)]
    custom = message.get("custom")
    vetted = custom.get("vetted_answer") if isinstance(custom, dict) else None
    posts: list[dict[str, Any]] = []

    blocks: list[dict[str, Any]] = []
    if isinstance(vetted, dict) and text:
        blocks = vetted_answer_blocks(text, vetted)
    elif text and buttons:
        blocks = _section_blocks(to_mrkdwn(text))
    if buttons:
        blocks.extend(button_blocks(buttons))
    if text or blocks:
        post: dict[str, Any] = {"text": to_mrkdwn(text) if text else " "}
        # Past Slack's block limit the text alone, which carries everything
        # (sources and disclaimer too), is safer than a cut-off layout.
        if blocks and len(blocks) <= MAX_BLOCKS:
            post["blocks"] = blocks
        posts.append(post)

    if isinstance(custom, dict) and not vetted:
        # A custom payload meant for Slack (blocks or text) goes out as it is;
        # anything else is structured data for other channels and is dropped.
        if custom.get("blocks") or custom.get("text") or custom.get("attachments"):
            posts.append(
                {key: value for key, value in custom.items() if key in SLACK_KEYS}
            )
        else:
            logger.debug("Dropped a custom payload with keys %s", sorted(custom))
    if message.get("image"):
        image = str(message["image"])
        posts.append(
            {
                "text": image,
                "blocks": [{"type": "image", "image_url": image, "alt_text": image}],
            }
        )
    if isinstance(message.get("attachment"), dict):
        posts.append({"text": " ", "attachments": [message["attachment"]]})
    return posts


def _plain_fallback(post: dict[str, Any]) -> dict[str, Any] | None:
    """Return the message without blocks, if it has text worth sending."""
    text = str(post.get("text") or "").strip()
    return {"text": text} if text and post.get("blocks") else None


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
        fallback = _plain_fallback(post)
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
        await self.send_response(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """Post text with Block Kit buttons."""
        await self.send_response(recipient_id, {"text": text, "buttons": buttons})

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
        self._recent = RecentKeys()
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
    ) -> None:
        """Hand a message to Rasa in the background (Slack wants 200 fast)."""
        # One conversation per person per DM, or per person per thread.
        sender_id = (
            f"{user}_{channel}" if is_direct else f"{user}_{channel}_{thread_ts}"
        )
        output = self.get_output_channel(channel, thread_ts)
        message = UserMessage(
            text,
            output,
            sender_id,
            input_channel=self.name(),
            metadata={"out_channel": channel, "thread_id": thread_ts},
        )
        task = asyncio.create_task(answer_turn(on_new_message, message, output))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _handle_event(
        self,
        request: Request,
        payload: dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        if payload.get("type") == "url_verification":
            return response.json({"challenge": str(payload.get("challenge") or "")})
        event = payload.get("event")
        if payload.get("type") != "event_callback" or not isinstance(event, dict):
            return response.text("")
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
        self._dispatch(
            on_new_message,
            text,
            str(event["user"]),
            str(event["channel"]),
            thread_ts,
            is_direct,
        )
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
            return response.text("", status=HTTPStatus.BAD_REQUEST)
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
        self._dispatch(
            on_new_message, str(text), str(user), str(channel), thread_ts, is_direct
        )
        return response.text("")

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Return the Sanic routes: a health check and the Slack webhook."""
        slack_webhook = Blueprint("slack_webhook", __name__)

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
                    return response.text("", status=HTTPStatus.BAD_REQUEST)
                return self._handle_event(request, payload, on_new_message)
            if content_type == "application/x-www-form-urlencoded":
                return self._handle_interaction(request, on_new_message)
            return response.text("")

        return slack_webhook
