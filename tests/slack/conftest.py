"""One fake Slack Web API and one real bot talking to it, for the Slack tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.servers import RunningBot, running_bot
from tests.slack.fake_slack import FakeSlack, fake_slack

SIGNING_SECRET = "test-signing-secret-8f14e45fceea167a"
BOT_TOKEN = "xoxb-test"


@pytest.fixture(scope="session")
def slack_api() -> Iterator[FakeSlack]:
    with fake_slack() as fake:
        yield fake


@pytest.fixture(scope="session")
def slack_bot(tmp_path_factory, slack_api: FakeSlack) -> Iterator[RunningBot]:
    env = {
        "SLACK_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.url,
        "SLACK_CHANNEL": "",
        # The fake is on loopback: never go through a proxy to reach it.
        "HTTP_PROXY": "",
        "HTTPS_PROXY": "",
        "http_proxy": "",
        "https_proxy": "",
    }
    with running_bot(tmp_path_factory.mktemp("slack-bot"), env) as started:
        yield started
