"""How often one key (a sender, a client address) may do something.

A sliding window per key, in this process's memory: each Rasa server limits
on its own, so behind a balancer with N servers a client gets at most N times
the limit. Keys that fell silent are forgotten, and the number of keys kept
is bounded, so a flood of made-up keys cannot fill the memory.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable


class SlidingWindowLimit:
    """At most `limit` events per key in any `window_seconds`."""

    def __init__(
        self,
        limit: int,
        window_seconds: float = 60.0,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Prepare an empty limit.

        Args:
            limit: Events allowed per key in one window.
            window_seconds: The window's length.
            max_keys: Keys remembered at most; the least recently seen go first.
            clock: Seconds, only ever growing (tests pass their own).

        """
        self._limit = limit
        self._window = window_seconds
        self._max_keys = max_keys
        self._clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, key: str) -> bool:
        """Count one event for `key`; say whether it is within the limit.

        Refused events are not counted, so a client that stops for one
        window is let through again.
        """
        now = self._clock()
        times = self._events.pop(key, None) or deque()
        while times and times[0] <= now - self._window:
            times.popleft()
        allowed = len(times) < self._limit
        if allowed:
            times.append(now)
        if times:
            self._events[key] = times
            while len(self._events) > self._max_keys:
                self._events.popitem(last=False)
        return allowed
