"""The real bot of the end-to-end tests: the run's shared bot (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.e2e.servers import RunningBot
from tests.support.shared_bot import ACTION_SERVER_TOKEN

__all__ = ["ACTION_SERVER_TOKEN"]


@pytest.fixture(scope="session")
def bot(shared_bot: RunningBot) -> RunningBot:
    return shared_bot
