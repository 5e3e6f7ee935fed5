"""Faults with the real processes: the action server killed, the Rasa server restarted.

Each test gets a bot of its own (started as `make run` starts it, under
supervisor), so killing a process here disturbs no other test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.disclaimer import build_disclaimer
from tests.e2e.servers import BotQueue, RunningBot, stop_in_background
from tests.support.events import stored_events
from tests.support.replies import vetted_topic

APOLOGY_DEADLINE_SECONDS = 5
RECOVERY_DEADLINE_SECONDS = 10


def _text(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


@pytest.fixture(scope="module")
def bots(request, tmp_path_factory) -> Iterator[BotQueue]:
    """One bot per test of this module; each starts while the test before runs.

    The Rasa server's restart comes first in this file: the next bot's
    start-up then overlaps it, and nothing else starts while the killed
    action server must come back within its deadline.
    """
    queue = BotQueue(
        {
            item.nodeid: (tmp_path_factory.mktemp("fault-bot"), None)
            for item in request.session.items
            if item.module is request.module and "bot" in item.fixturenames
        }
    )
    yield queue
    queue.close()


@pytest.fixture
def bot(request, bots: BotQueue) -> Iterator[RunningBot]:
    started = bots.take(request.node.nodeid)
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
