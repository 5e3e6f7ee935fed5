"""The settings of the one real bot the e2e, Slack and browser tests share.

Starting the bot loads TensorFlow, spaCy, the sentence encoder and the model
(most of a minute, and ten seconds to stop). The e2e, Slack and browser
suites each used to start their own, with settings that differ only in what
the others do not look at, so they share one bot per test run
(`shared_bot` in tests/conftest.py): with the action server's token set as
the e2e security tests need, and the Slack channel pointed at the fake
Slack Web API on loopback. Tests that need other settings (the REST channel
off, a bot on PostgreSQL, a bot to kill) still start their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.slack.fake_slack import FakeSlack

# Set, rather than made by `serve`, so the tests can call the action server
# as the Rasa server does (tests/e2e/test_security.py).
ACTION_SERVER_TOKEN = "e2e-action-token-0123456789abcdef"
SLACK_SIGNING_SECRET = "test-signing-secret-8f14e45fceea167a"
SLACK_BOT_TOKEN = "xoxb-test"


def shared_bot_settings(slack_api: FakeSlack) -> dict[str, str]:
    """The environment the shared bot starts with, on top of the test run's."""
    return {
        "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN,
        "SLACK_TOKEN": SLACK_BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_API_URL": slack_api.url,
        "SLACK_CHANNEL": "",
        # The fake is on loopback: never go through a proxy to reach it.
        "HTTP_PROXY": "",
        "HTTPS_PROXY": "",
        "http_proxy": "",
        "https_proxy": "",
    }
