"""Faults with the real processes: the action server killed, the Rasa server restarted.

Each test gets a bot of its own (started as `make run` starts it, under
supervisor), so killing a process here disturbs no other test.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.disclaimer import build_disclaimer
from tests.e2e.servers import RunningBot, StartingBot, stop_in_background
from tests.support.events import stored_events
from tests.support.replies import vetted_topic

APOLOGY_DEADLINE_SECONDS = 5
RECOVERY_DEADLINE_SECONDS = 10


def _text(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


class BotPerTest:
    """Hands each test a bot of its own, the next one starting meanwhile."""

    def __init__(self, tests: int, make_workdir: Callable[[], Path]) -> None:
        """Starts starting the first bot.

        Args:
            tests: How many tests will ask for a bot.
            make_workdir: Makes an empty folder for one bot.

        """
        self._left, self._make_workdir = tests, make_workdir
        self._next = self._start()

    def _start(self) -> StartingBot | None:
        if self._left <= 0:
            return None
        self._left -= 1
        return StartingBot(self._make_workdir())

    def take(self) -> RunningBot:
        """The next bot once it is up; the one after it starts now."""
        assert self._next is not None, "more tests asked for a bot than counted"
        starting, self._next = self._next, None
        bot = starting.wait()
        self._next = self._start()
        return bot

    def close(self) -> None:
        """Stops a bot that was started but never taken."""
        if self._next is not None:
            self._next.discard()


@pytest.fixture(scope="module")
def bots(request, tmp_path_factory) -> Iterator[BotPerTest]:
    """One bot per test of this module; each starts while the test before runs.

    The Rasa server's restart comes first in this file: the next bot's
    start-up then overlaps it, and nothing else starts while the killed
    action server must come back within its deadline.
    """
    tests = sum(
        "bot" in item.fixturenames
        for item in request.session.items
        if item.module is request.module
    )
    pool = BotPerTest(tests, lambda: tmp_path_factory.mktemp("fault-bot"))
    yield pool
    pool.close()


@pytest.fixture
def bot(bots: BotPerTest) -> Iterator[RunningBot]:
    started = bots.take()
    yield started
    # Nothing is checked once it stops: the next test need not wait.
    stop_in_background(started)


def _event_count(bot: RunningBot, sender: str) -> int:
    return len(stored_events(bot.env["DATABASE_URL"], sender))


def test_restarted_rasa_server_continues_the_conversation(bot):
    sender = "fault-rasa"
    assert vetted_topic(bot.send("what is mdma therapy", sender=sender)) == "definition"
    stored_before = _event_count(bot, sender)

    output = bot.supervisorctl("restart", "rasa")
    assert "started" in output, output
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            replies = bot.send("how long does it take?", sender=sender, timeout=10)
            break
        except (AssertionError, OSError):
            time.sleep(1)
    else:
        pytest.fail("The Rasa server did not come back")

    # The follow-up is understood from the stored conversation.
    assert vetted_topic(replies) == "course_length"
    assert _event_count(bot, sender) > stored_before


def test_killed_action_server_gets_apology_then_answers_come_back(bot):
    sender = "fault-actions"
    assert vetted_topic(bot.send("is mdma therapy safe?", sender=sender)) == "safety"

    bot.supervisorctl("signal", "KILL", "actions")
    started = time.monotonic()
    replies = bot.send("what are the side effects?", sender=sender, timeout=10)
    apology_seconds = time.monotonic() - started
    text = _text(replies)
    assert apology_seconds < APOLOGY_DEADLINE_SECONDS
    assert "988" in text and build_disclaimer() in text

    # Supervisor restarts the action server by itself.
    deadline = time.monotonic() + RECOVERY_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        replies = bot.send("what are the side effects?", sender=sender, timeout=10)
        if vetted_topic(replies) == "side_effects":
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"No answer within {RECOVERY_DEADLINE_SECONDS} s of the kill")
