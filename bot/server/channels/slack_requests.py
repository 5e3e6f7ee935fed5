"""Slack requests: signature checks and recognising Slack's retried events."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from slack_sdk.signature import Clock, SignatureVerifier

# Slack retries an event three times within about an hour and a half.
DEDUPE_TTL_SECONDS = 2 * 60 * 60
DEDUPE_MAX_ENTRIES = 20_000


class _FixedClock(Clock):
    """A clock that always reads one time (for checks at a given moment)."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    """Compute the `X-Slack-Signature` Slack sends for a request body.

    Args:
        secret: The app's signing secret.
        timestamp: The `X-Slack-Request-Timestamp` header.
        body: The raw request body.

    Returns:
        "v0=" and the hex HMAC-SHA256 of "v0:{timestamp}:{body}".

    """
    signature = SignatureVerifier(secret).generate_signature(
        timestamp=timestamp, body=body
    )
    if signature is None:
        raise ValueError("A Slack signature needs a timestamp.")
    return signature


def is_signature_valid(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float | None = None,
) -> bool:
    """Check that a request was signed by Slack with this secret, recently.

    slack_sdk's `SignatureVerifier` does the check, and refuses a timestamp
    more than five minutes off (which stops replays of old requests). What it
    raises on input no Slack request has is a refusal here, never an error.

    Args:
        secret: The app's signing secret; an empty secret accepts nothing.
        timestamp: The `X-Slack-Request-Timestamp` header, in Unix seconds.
        signature: The `X-Slack-Signature` header.
        body: The raw request body.
        now: The current Unix time; `time.time()` when not given.

    Returns:
        True only if the signature matches and the timestamp is at most
        five minutes from now.

    """
    if not secret or not secret.strip():
        return False  # SignatureVerifier refuses a blank secret
    clock = Clock() if now is None else _FixedClock(now)
    try:
        return SignatureVerifier(secret, clock=clock).is_valid(
            body=body, timestamp=timestamp, signature=signature
        )
    except (ValueError, TypeError):
        # A timestamp that is no number, a body that is not UTF-8
        # (UnicodeDecodeError is a ValueError) or a signature that is not
        # ASCII (hmac.compare_digest raises TypeError).
        return False


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
