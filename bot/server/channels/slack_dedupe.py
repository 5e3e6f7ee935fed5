"""Repeated Slack events spotted across several Rasa servers, through Redis.

Slack retries an event it thinks was not received, and behind a load
balancer the retry can reach another server than the first delivery. When
`REDIS_URL` is set (docs/scale-out.md), the servers share what they have
seen: each key is written with SET NX and an expiry, so exactly one server
takes each event. If Redis cannot be reached, the server falls back to its
own memory (logged once) rather than drop or stall messages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import redis

from bot.server.channels.slack_requests import DEDUPE_TTL_SECONDS, RecentKeys
from bot.server.lock_store import KEY_PREFIX, redis_arguments

logger = logging.getLogger(__name__)


class RedisRecentKeys:
    """`RecentKeys` shared by every server through Redis."""

    def __init__(self, redis_url: str, ttl_seconds: int = DEDUPE_TTL_SECONDS):
        """Prepares the client (it connects on first use).

        Args:
            redis_url: The shared Redis.
            ttl_seconds: How long a key is remembered.

        """
        arguments = redis_arguments(redis_url)
        arguments["ssl"] = arguments.pop("use_ssl")
        self._redis = redis.Redis(socket_timeout=2, **arguments)
        self._ttl = int(ttl_seconds)
        self._local = RecentKeys(ttl_seconds=ttl_seconds)
        self._redis_failing = False

    def check_and_remember(self, keys: Iterable[str]) -> bool:
        """Remember the keys; say whether any server saw one of them before.

        Args:
            keys: The identities of one event (empty keys are ignored).

        Returns:
            True if the event was seen before (a repeat).

        """
        keys = [key for key in keys if key]
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.set(f"{KEY_PREFIX}:slack:{key}", 1, nx=True, ex=self._ttl)
                first_time = pipe.execute()
        except redis.RedisError as error:
            if not self._redis_failing:
                self._redis_failing = True
                logger.error(
                    "Cannot reach Redis to spot repeated Slack events (%s); this "
                    "server spots repeats on its own until it is back.",
                    type(error).__name__,
                )
            return self._local.check_and_remember(keys)
        if self._redis_failing:
            self._redis_failing = False
            logger.warning("Redis is reachable again for repeated Slack events.")
        # Kept locally too, so an outage of Redis does not forget the last
        # events this server took.
        self._local.check_and_remember(keys)
        return not all(first_time)
