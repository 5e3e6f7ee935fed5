"""Slack requests: signature checks and recognising Slack's retried events."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

# Slack rejects requests whose timestamp is more than five minutes off.
MAX_REQUEST_AGE_SECONDS = 5 * 60
# Slack retries an event three times within about an hour and a half.
DEDUPE_TTL_SECONDS = 2 * 60 * 60
DEDUPE_MAX_ENTRIES = 20_000


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
