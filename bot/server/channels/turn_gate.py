"""One turn at a time in a Rasa server, in order of arrival, with a bounded wait.

A turn waits for its action call (the action server, about 3 ms). Without
this gate the server starts the next message's understanding (about 10 ms of
CPU that nothing interrupts) in that gap, and the first turn's answer waits
for it; a message that arrives during several turns is interrupted again
and again. Taking turns in order of arrival keeps that from compounding. At
50 visitors, 3-7 s apart, the 95th percentile went from 61-64 ms to 44-50 ms
(three 45 s runs each, the same machine, one after the other); saturation
throughput did not change, because the encoder still computes on the other
core within a turn and the action server runs on it between turns.

No turn waits longer than `MAX_WAIT_SECONDS` for the one before it: a stuck
turn (an action server that does not answer, a database that hangs) must
not hold up every other conversation, so after that wait a turn goes ahead
alongside.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

MAX_WAIT_SECONDS = 0.25


class TurnGate:
    """Lets turns run one at a time, first come first served; none waits long."""

    def __init__(self, max_wait: float = MAX_WAIT_SECONDS) -> None:
        """An open gate.

        Args:
            max_wait: Seconds a turn waits for the turn before it at most.

        """
        self._max_wait = max_wait
        self._running = 0
        # Each waiter's future gets True when the turn before hands it the
        # gate, False when it stops waiting on its own.
        self._waiters: deque[asyncio.Future[bool]] = deque()

    @property
    def waiting(self) -> int:
        """How many turns are waiting now."""
        return sum(not waiter.done() for waiter in self._waiters)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Waits for the gate (at most `max_wait`), then holds it for the turn."""
        if self._running:
            await self._wait()
        else:
            self._running += 1
        try:
            yield
        finally:
            self._leave()

    async def _wait(self) -> None:
        # Handed over or not, this turn is counted as running once it goes
        # on. asyncio.wait_for is not used: on Python 3.10 it can lose a
        # result that arrives as it times out, and a lost hand-over would
        # leave the gate shut for good.
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[bool] = loop.create_future()
        timer = loop.call_later(self._max_wait, _settle, waiter, False)
        self._waiters.append(waiter)
        try:
            handed = await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.result():
                # Handed the gate just as it was cancelled: pass it on.
                self._leave()
            raise
        finally:
            timer.cancel()
            if waiter in self._waiters:
                self._waiters.remove(waiter)
        if not handed:
            self._running += 1

    def _leave(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                # Handed over: the next turn runs in this one's place.
                waiter.set_result(True)
                return
        self._running -= 1


def _settle(waiter: asyncio.Future[bool], handed: bool) -> None:
    if not waiter.done():
        waiter.set_result(handed)


# One per Rasa server process, shared by its channels.
TURNS = TurnGate()
