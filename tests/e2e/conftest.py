"""The bots of the end-to-end tests.

- `bot`: the run's shared bot (tests/conftest.py).
- `own_bot`: for a test marked `own_bot(SETTING=value, ...)`, a bot of its
  own with those settings. These start one after the other in the
  background as soon as the e2e tests begin, so their start-up overlaps the
  tests before them; each stops after its test, if the test did not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.servers import BotQueue, RunningBot, stop_in_background
from tests.support.shared_bot import ACTION_SERVER_TOKEN

__all__ = ["ACTION_SERVER_TOKEN"]

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def bot(shared_bot: RunningBot) -> RunningBot:
    return shared_bot


@pytest.fixture(scope="package", autouse=True)
def own_bots(request, tmp_path_factory) -> Iterator[BotQueue]:
    """Starts the bots of this package's `own_bot` tests, in their order."""
    queue = BotQueue(
        {
            item.nodeid: (tmp_path_factory.mktemp("own-bot"), dict(marker.kwargs))
            for item in request.session.items
            if HERE in item.path.parents
            and (marker := item.get_closest_marker("own_bot")) is not None
        }
    )
    yield queue
    queue.close()


@pytest.fixture
def own_bot(request, own_bots: BotQueue) -> Iterator[RunningBot]:
    started = own_bots.take(request.node.nodeid)
    yield started
    stop_in_background(started)
