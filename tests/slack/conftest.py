"""The Slack tests' bot: the run's shared bot, whose Slack channel talks to
the fake Slack Web API `slack_api` (both in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.e2e.servers import RunningBot
from tests.support.shared_bot import SLACK_BOT_TOKEN as BOT_TOKEN
from tests.support.shared_bot import SLACK_SIGNING_SECRET as SIGNING_SECRET

__all__ = ["BOT_TOKEN", "SIGNING_SECRET"]


@pytest.fixture(scope="session")
def slack_bot(shared_bot: RunningBot) -> RunningBot:
    return shared_bot
