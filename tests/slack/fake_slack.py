"""A local fake of Slack's Web API, and helpers to send signed Slack requests.

The fake listens on loopback in a thread, answers every Web API method with
`{"ok": true, ...}` and records what the bot posted, so the tests can wait
for (and inspect) the bot's Slack messages without any network.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_USER_ID = "UBOT00001"
TEAM_ID = "T0000TEST"


@dataclass
class ApiCall:
    """One Web API call the bot made."""

    method: str
    authorization: str
    arguments: dict[str, Any]

    @property
    def channel(self) -> str | None:
        return self.arguments.get("channel")

    @property
    def thread_ts(self) -> str | None:
        return self.arguments.get("thread_ts")

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.arguments.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks

    def all_text(self) -> str:
        """The message text and every text in its blocks, joined."""
        parts = [str(self.arguments.get("text") or "")]

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "text" and isinstance(value, str):
                        parts.append(value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(self.blocks)
        return "\n".join(parts)


@dataclass
class FakeSlack:
    """The recorded calls of a running fake, and a way to wait for them."""

    url: str
    calls: list[ApiCall] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, call: ApiCall) -> None:
        with self.changed:
            self.calls.append(call)
            self.changed.notify_all()

    def posts(self, channel: str | None = None) -> list[ApiCall]:
        """chat.postMessage calls so far, optionally to one channel."""
        with self.changed:
            return [
                call
                for call in self.calls
                if call.method == "chat.postMessage"
                and (channel is None or call.channel == channel)
            ]

    def wait_for_posts(
        self,
        channel: str,
        predicate: Callable[[list[ApiCall]], bool],
        timeout: float = 90,
    ) -> list[ApiCall]:
        """Waits until the posts to a channel satisfy `predicate`; returns them."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                posts = [
                    c
                    for c in self.calls
                    if c.method == "chat.postMessage" and c.channel == channel
                ]
                if predicate(posts):
                    return posts
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"Timed out waiting for posts to {channel}; got: "
                        f"{[p.all_text()[:200] for p in posts]}"
                    )
                self.changed.wait(remaining)

    def wait_for_text(
        self, channel: str, needle: str, timeout: float = 90
    ) -> list[ApiCall]:
        """Waits until a post to `channel` contains `needle`; returns its posts."""
        return self.wait_for_posts(
            channel, lambda posts: any(needle in p.all_text() for p in posts), timeout
        )


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSlack

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0]
        if content_type == "application/json":
            arguments = json.loads(raw or "{}")
        else:
            arguments = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
        method = self.path.rstrip("/").rsplit("/", 1)[-1]
        self.fake.record(
            ApiCall(method, self.headers.get("Authorization", ""), arguments)
        )
        answer: dict[str, Any] = {"ok": True}
        if method == "chat.postMessage":
            answer.update(
                channel=arguments.get("channel"),
                ts=f"{time.time():.6f}",
                message={"text": arguments.get("text", "")},
            )
        elif method == "auth.test":
            answer.update(user_id=BOT_USER_ID, team_id=TEAM_ID, bot_id="BBOT00001")
        body = json.dumps(answer).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep the test output clean


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    """Runs the fake Web API on a free loopback port until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    fake = FakeSlack(url=f"http://127.0.0.1:{server.server_address[1]}/api/")
    server.RequestHandlerClass = type("Handler", (_Handler,), {"fake": fake})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# ---------------------------------------------------------------------------
# Requests as Slack sends them


def signed_headers(
    secret: str,
    body: bytes,
    content_type: str = "application/json",
    timestamp: int | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """Headers of a request Slack signed with `secret` (v0 HMAC-SHA256)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(
        secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
        **(extra or {}),
    }


def new_ts() -> str:
    """A Slack message timestamp that no other test uses."""
    return (
        f"{time.time():.6f}".split(".")[0]
        + "."
        + uuid.uuid4().hex[:6].translate(str.maketrans("abcdef", "123456"))
    )


def new_id(prefix: str) -> str:
    """A Slack-looking id (channel, user, event) that no other test uses."""
    return prefix + uuid.uuid4().hex[:10].upper()


def event_callback(
    event: dict[str, Any], event_id: str | None = None
) -> dict[str, Any]:
    """An Events API `event_callback` envelope around one event."""
    return {
        "token": "legacy-verification-token-unused",
        "team_id": TEAM_ID,
        "api_app_id": "A0000TEST",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_id("Ev"),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def dm_event(
    user: str, channel: str, text: str, ts: str | None = None
) -> dict[str, Any]:
    """A person's message in a direct message with the bot (message.im)."""
    stamp = ts or new_ts()
    return {
        "client_msg_id": str(uuid.uuid4()),
        "type": "message",
        "text": text,
        "user": user,
        "ts": stamp,
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": stamp,
        "channel_type": "im",
    }


def mention_event(
    user: str,
    channel: str,
    text: str,
    ts: str | None = None,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """A person mentioning the bot in a channel (app_mention)."""
    stamp = ts or new_ts()
    event = {
        "client_msg_id": str(uuid.uuid4()),
        "type": "app_mention",
        "text": f"<@{BOT_USER_ID}> {text}",
        "user": user,
        "ts": stamp,
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": stamp,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def button_click(
    user: str, channel: str, value: str, message_ts: str, thread_ts: str | None = None
) -> bytes:
    """The form body of a Block Kit button click (interactivity `block_actions`)."""
    message: dict[str, Any] = {
        "type": "message",
        "ts": message_ts,
        "user": BOT_USER_ID,
        "bot_id": "BBOT00001",
        "text": "...",
    }
    if thread_ts:
        message["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "tester", "team_id": TEAM_ID},
        "api_app_id": "A0000TEST",
        "token": "legacy-verification-token-unused",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
            **({"thread_ts": thread_ts} if thread_ts else {}),
        },
        "trigger_id": f"{uuid.uuid4().int % 10**12}.{uuid.uuid4().int % 10**12}.abc",
        "team": {"id": TEAM_ID, "domain": "test"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": message,
        "response_url": "http://127.0.0.1:9/unused",
        "actions": [
            {
                "action_id": "rasa_button_0",
                "block_id": "b1",
                "type": "button",
                "value": value,
                "text": {"type": "plain_text", "text": "topic"},
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode("utf-8")
